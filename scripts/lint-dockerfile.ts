/**
 * A small Dockerfile lint for the obvious mistakes, run by .ci/run when hadolint is not installed:
 *
 *   node --import tsx scripts/lint-dockerfile.ts [Dockerfile]   (exit 1 and one line per problem)
 *
 * Rules: base images pinned to a tag (never :latest); every final stage (one no other stage builds
 * on or copies from) runs as a user other than root; the server and worker targets have a
 * HEALTHCHECK; no ADD of URLs; `apt-get install` with --no-install-recommends and its lists removed;
 * dependencies from the lock file (`npm ci`, or a bare `npm install` after package-lock.json is
 * copied, never `npm install <package>`); no .env copied in (nor the whole context when
 * .dockerignore lets .env through); no secrets in ENV or ARG.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** One finding: the line of the instruction, the rule's name and what to do. */
export interface DockerfileProblem {
  line: number;
  rule: string;
  message: string;
}

/** Options of lintDockerfile. */
export interface LintOptions {
  /** Targets that must have a HEALTHCHECK (default: server and worker). */
  healthcheckTargets?: readonly string[];
  /** The text of .dockerignore, when there is one (checked when the whole context is copied). */
  dockerignore?: string;
}

/** An instruction with its continuation lines joined. */
interface Instruction {
  line: number;
  keyword: string;
  args: string;
}

interface Stage {
  name: string | undefined;
  line: number;
  /** The stage this one is built FROM, when it names an earlier stage. */
  parent: Stage | undefined;
  instructions: Instruction[];
}

const SECRET_NAME = /(PASSWORD|SECRET|TOKEN|API_KEY|ENCRYPTION_KEY|PRIVATE_KEY|ACCESS_KEY)/i;

/** Splits a Dockerfile into instructions, joining `\` continuations and skipping comments. */
export function parseInstructions(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: Instruction | undefined;
  text.split("\n").forEach((raw, index) => {
    const line = raw.trimEnd();
    if (!pending && (line.trim() === "" || line.trimStart().startsWith("#"))) return;
    if (pending && line.trimStart().startsWith("#")) return; // a comment inside a continuation
    const continues = line.endsWith("\\");
    const body = continues ? line.slice(0, -1) : line;
    if (pending) pending.args += ` ${body.trim()}`;
    else {
      const match = /^\s*(\S+)\s*(.*)$/.exec(body);
      const keyword = (match?.[1] ?? "").toUpperCase();
      pending = { line: index + 1, keyword, args: (match?.[2] ?? "").trimEnd() };
    }
    if (!continues) {
      instructions.push({ ...pending, args: pending.args.trim() });
      pending = undefined;
    }
  });
  if (pending) instructions.push({ ...pending, args: pending.args.trim() });
  return instructions;
}

/** The words of an instruction's arguments: a JSON array's items, else split on whitespace. */
function words(args: string): string[] {
  if (args.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(args);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // Not valid JSON: Docker then runs it as shell form too.
    }
  }
  return args.split(/\s+/).filter(Boolean);
}

/** Replaces $NAME and ${NAME} with the ARG defaults declared before the first FROM. */
function substitute(value: string, args: Map<string, string | undefined>): string {
  return value.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced?: string, bare?: string) => {
    const known = args.get(braced ?? bare ?? "");
    return known ?? whole;
  });
}

function splitStages(instructions: Instruction[]): { globalArgs: Instruction[]; stages: Stage[] } {
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") {
      const parts = words(instruction.args).filter((w) => !w.startsWith("--"));
      const asAt = parts.findIndex((w) => w.toUpperCase() === "AS");
      const name = asAt >= 0 ? parts[asAt + 1] : undefined;
      const parent = stages.find((s) => s.name !== undefined && s.name === parts[0]);
      stages.push({ name, line: instruction.line, parent, instructions: [instruction] });
    } else if (stages.length === 0) {
      if (instruction.keyword === "ARG") globalArgs.push(instruction);
    } else {
      stages[stages.length - 1]?.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

/** The stage and its ancestors, nearest first. */
function chain(stage: Stage): Stage[] {
  const out: Stage[] = [];
  for (let s: Stage | undefined = stage; s; s = s.parent) out.push(s);
  return out;
}

/** The last instruction with `keyword` in the stage or, failing that, the stages it is built on. */
function inherited(stage: Stage, keyword: string): Instruction | undefined {
  for (const s of chain(stage)) {
    const found = s.instructions.filter((i) => i.keyword === keyword).at(-1);
    if (found) return found;
  }
  return undefined;
}

function checkFrom(stage: Stage, args: Map<string, string | undefined>, out: DockerfileProblem[]): void {
  if (stage.parent) return;
  const from = stage.instructions[0];
  if (!from) return;
  const image = substitute(words(from.args).find((w) => !w.startsWith("--")) ?? "", args);
  if (image === "scratch") return;
  const tag = /:([^/:]+)$/.exec(image)?.[1];
  const message = image.includes("$")
    ? `base image ${image} uses an ARG without a default`
    : image.includes("@sha256:")
      ? undefined
      : !tag
        ? `base image ${image} has no tag: pin one, e.g. ${image}:24-bookworm-slim`
        : tag === "latest"
          ? `base image ${image} uses :latest: pin a version`
          : undefined;
  if (message) out.push({ line: from.line, rule: "pinned-base", message });
}

/** The commands of a RUN, split at &&, ||, ; and |. */
function commands(run: string): string[] {
  return run.split(/&&|\|\||;|\|/).map((c) => c.trim());
}

function checkRun(instruction: Instruction, lockCopied: boolean, out: DockerfileProblem[]): void {
  const text = words(instruction.args).join(" ");
  const problem = (rule: string, message: string) => out.push({ line: instruction.line, rule, message });
  for (const command of commands(text)) {
    if (/\bapt(-get)?\s+(\S+\s+)*install\b/.test(command)) {
      if (!command.includes("--no-install-recommends"))
        problem("apt-install", "apt-get install without --no-install-recommends");
      if (!/rm -rf \/var\/lib\/apt\/lists/.test(text))
        problem("apt-install", "apt-get install without `rm -rf /var/lib/apt/lists/*` in the same RUN");
    }
    const npm = /\bnpm\s+(install|i|add)\b(.*)$/.exec(command);
    if (npm) {
      const packages = (npm[2] ?? "").split(/\s+/).filter((w) => w !== "" && !w.startsWith("-"));
      if (packages.length > 0) {
        problem(
          "npm-lockfile",
          `npm install ${packages.join(" ")}: dependencies come from package.json and the lock file`,
        );
      } else if (!lockCopied) {
        problem(
          "npm-lockfile",
          "npm install before package-lock.json is copied: use npm ci, or copy the lock file first",
        );
      }
    }
  }
}

function checkCopy(instruction: Instruction, options: LintOptions, out: DockerfileProblem[]): void {
  const parts = words(instruction.args).filter((w) => !w.startsWith("--"));
  const sources = parts.slice(0, -1);
  const problem = (rule: string, message: string) => out.push({ line: instruction.line, rule, message });
  if (instruction.keyword === "ADD" && sources.some((s) => /^https?:\/\//.test(s))) {
    problem("no-add-url", "ADD of a URL: download in a RUN with a checksum check instead");
  }
  if (instruction.args.includes("--from=")) return;
  for (const source of sources) {
    const base = source.replace(/^\.\//, "").replace(/\/$/, "");
    if (/(^|\/)\.env(\.(?!example$)[^/]*)?$/.test(base)) {
      problem(
        "no-env-file",
        `${instruction.keyword} ${source}: settings are given at run time, never baked in`,
      );
    }
    const ignoresEnv = options.dockerignore?.split("\n").some((l) => /^\s*(\*\*\/)?\.env\*?\s*$/.test(l));
    if ((base === "." || base === "") && options.dockerignore !== undefined && !ignoresEnv) {
      problem("no-env-file", `${instruction.keyword} of the whole context while .dockerignore lets .env in`);
    }
  }
}

function checkSecrets(instruction: Instruction, out: DockerfileProblem[]): void {
  const pairs = instruction.args.match(/[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|\S*)/g) ?? [];
  const bare = instruction.keyword === "ENV" && !instruction.args.includes("=") ? [instruction.args] : [];
  for (const pair of [...pairs, ...bare]) {
    const [name, ...rest] = pair.includes("=") ? pair.split("=") : pair.split(/\s+/);
    if (name && SECRET_NAME.test(name) && rest.join("=").replace(/"/g, "") !== "") {
      out.push({
        line: instruction.line,
        rule: "no-secrets",
        message: `${instruction.keyword} ${name} holds a secret: pass it at run time`,
      });
    }
  }
}

/** Lints a Dockerfile's text; returns the problems found, in line order. */
export function lintDockerfile(text: string, options: LintOptions = {}): DockerfileProblem[] {
  const out: DockerfileProblem[] = [];
  const { globalArgs, stages } = splitStages(parseInstructions(text));
  const args = new Map<string, string | undefined>();
  for (const arg of globalArgs) {
    const [name, value] = arg.args.split("=");
    if (name) args.set(name.trim(), value?.trim().replace(/^"|"$/g, ""));
  }
  for (const arg of globalArgs) checkSecrets(arg, out);
  const copiedFrom = new Set(
    stages.flatMap((s) => s.instructions.flatMap((i) => /--from=(\S+)/.exec(i.args)?.[1] ?? [])),
  );
  for (const stage of stages) {
    checkFrom(stage, args, out);
    const lockCopied = chain(stage).some((s) =>
      s.instructions.some(
        (i) => i.keyword === "COPY" && /package-lock\.json|npm-shrinkwrap\.json/.test(i.args),
      ),
    );
    for (const instruction of stage.instructions) {
      if (instruction.keyword === "RUN") checkRun(instruction, lockCopied, out);
      if (instruction.keyword === "COPY" || instruction.keyword === "ADD")
        checkCopy(instruction, options, out);
      if (instruction.keyword === "ENV" || instruction.keyword === "ARG") checkSecrets(instruction, out);
    }
    const isBase = stages.some((s) => s.parent === stage);
    const isFinal = stage === stages.at(-1) || (!isBase && !copiedFrom.has(stage.name ?? ""));
    const user = words(inherited(stage, "USER")?.args ?? "")[0];
    if (isFinal && (!user || /^(root|0)(:.*)?$/.test(user))) {
      out.push({
        line: stage.line,
        rule: "non-root-user",
        message: `final stage ${stage.name ?? "(unnamed)"} runs as root: add USER (e.g. USER node)`,
      });
    }
  }
  for (const target of options.healthcheckTargets ?? ["server", "worker"]) {
    const stage = stages.find((s) => s.name === target);
    const check = stage && inherited(stage, "HEALTHCHECK");
    if (!stage || !check || /^NONE\b/i.test(check.args)) {
      out.push({
        line: stage?.line ?? 1,
        rule: "healthcheck",
        message: stage ? `target ${target} has no HEALTHCHECK` : `no target named ${target}`,
      });
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

/** CLI: lints the Dockerfile named (default ./Dockerfile) with the .dockerignore beside it. */
function main(): void {
  const file = resolve(process.argv[2] ?? "Dockerfile");
  const ignoreFile = join(dirname(file), ".dockerignore");
  // No .dockerignore at all lets .env into the context: checked as an empty one.
  const dockerignore = existsSync(ignoreFile) ? readFileSync(ignoreFile, "utf8") : "";
  const problems = lintDockerfile(readFileSync(file, "utf8"), { dockerignore });
  for (const p of problems) process.stderr.write(`${file}:${p.line} ${p.rule}: ${p.message}\n`);
  if (problems.length > 0) process.exitCode = 1;
  else process.stdout.write(`${file}: no problems found\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
