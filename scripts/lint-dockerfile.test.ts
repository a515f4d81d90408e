import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintDockerfile, parseInstructions } from "./lint-dockerfile.js";

const ROOT = join(import.meta.dirname, "..");
const LINTER = join(import.meta.dirname, "lint-dockerfile.ts");

/** A Dockerfile that passes every rule; each test breaks one thing. */
const GOOD = `
ARG NODE_VERSION=24.11.1
FROM node:\${NODE_VERSION}-bookworm-slim AS base
WORKDIR /app
COPY package.json package-lock.json ./
RUN apt-get update \\
  && apt-get install -y --no-install-recommends tini \\
  && rm -rf /var/lib/apt/lists/*
RUN npm ci --omit=dev
USER node

FROM base AS server
HEALTHCHECK CMD ["node", "-e", "0"]
CMD ["sluice", "server", "start"]

FROM base AS worker
HEALTHCHECK CMD ["node", "-e", "0"]
CMD ["sluice", "worker", "start"]
`;

function rules(text: string, dockerignore?: string): string[] {
  return lintDockerfile(text, { dockerignore }).map((p) => p.rule);
}

describe("lintDockerfile", () => {
  it("passes a Dockerfile that follows every rule, and the repository's own", () => {
    expect(lintDockerfile(GOOD)).toEqual([]);
    const ours = readFileSync(join(ROOT, "Dockerfile"), "utf8");
    const ignore = readFileSync(join(ROOT, ".dockerignore"), "utf8");
    expect(lintDockerfile(ours, { dockerignore: ignore })).toEqual([]);
  });

  it("joins continuation lines and keeps each instruction's first line", () => {
    const parsed = parseInstructions("FROM a:1\n# note\nRUN one \\\n  # inside\n  two\nUSER x\n");
    expect(parsed).toEqual([
      { line: 1, keyword: "FROM", args: "a:1" },
      { line: 3, keyword: "RUN", args: "one two" },
      { line: 6, keyword: "USER", args: "x" },
    ]);
  });

  it("wants base images pinned to a tag that is not latest", () => {
    expect(rules(GOOD.replace("node:${NODE_VERSION}-bookworm-slim", "node:latest"))).toEqual(["pinned-base"]);
    expect(rules(GOOD.replace("node:${NODE_VERSION}-bookworm-slim", "node"))).toEqual(["pinned-base"]);
    expect(rules(GOOD.replace("ARG NODE_VERSION=24.11.1", "ARG NODE_VERSION"))).toEqual(["pinned-base"]);
    expect(rules(GOOD.replace("node:${NODE_VERSION}-bookworm-slim", "node@sha256:abc"))).toEqual([]);
  });

  it("wants every final stage to run as a user other than root, inheriting USER from its base", () => {
    expect(rules(GOOD.replace("USER node", ""))).toEqual(["non-root-user", "non-root-user"]);
    const rootWorker = GOOD.replace('CMD ["sluice", "worker", "start"]', 'USER root\nCMD ["sluice"]');
    const problems = lintDockerfile(rootWorker);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining("final stage worker runs as root"),
    ]);
    // A stage only copied from is not an image anyone runs.
    const builder = GOOD.replace(
      "FROM base AS server",
      "FROM node:24 AS build\nRUN true\n\nFROM base AS server",
    ).replace('CMD ["sluice", "server", "start"]', 'COPY --from=build /out /out\nCMD ["sluice"]');
    expect(rules(builder)).toEqual([]);
  });

  it("wants a HEALTHCHECK in the server and worker targets", () => {
    const [first] = lintDockerfile(
      GOOD.replace('HEALTHCHECK CMD ["node", "-e", "0"]\nCMD ["sluice", "server"', 'CMD ["sluice", "server"'),
    );
    expect(first).toMatchObject({ rule: "healthcheck", message: "target server has no HEALTHCHECK" });
    expect(
      rules(
        GOOD.replace(
          'HEALTHCHECK CMD ["node", "-e", "0"]\nCMD ["sluice", "worker"',
          'HEALTHCHECK NONE\nCMD ["sluice", "worker"',
        ),
      ),
    ).toEqual(["healthcheck"]);
    expect(lintDockerfile(GOOD.replace("AS worker", "AS runner")).map((p) => p.message)).toContain(
      "no target named worker",
    );
  });

  it("refuses ADD of a URL", () => {
    expect(rules(GOOD.replace("WORKDIR /app", "ADD https://example.com/tool.tgz /opt/"))).toEqual([
      "no-add-url",
    ]);
  });

  it("wants apt-get install with --no-install-recommends and the lists removed", () => {
    expect(rules(GOOD.replace("--no-install-recommends ", ""))).toEqual(["apt-install"]);
    expect(rules(GOOD.replace(" \\\n  && rm -rf /var/lib/apt/lists/*", ""))).toEqual(["apt-install"]);
  });

  it("wants dependencies from the lock file", () => {
    expect(rules(GOOD.replace("npm ci --omit=dev", "npm install --omit=dev"))).toEqual([]);
    expect(rules(GOOD.replace("npm ci --omit=dev", "npm install -g typescript"))).toEqual(["npm-lockfile"]);
    const noLock = GOOD.replace("COPY package.json package-lock.json ./", "COPY package.json ./");
    expect(rules(noLock.replace("npm ci --omit=dev", "npm i"))).toEqual(["npm-lockfile"]);
  });

  it("refuses .env in the image, and the whole context when .dockerignore lets .env in", () => {
    expect(rules(GOOD.replace("WORKDIR /app", "COPY .env ./"))).toEqual(["no-env-file"]);
    expect(rules(GOOD.replace("WORKDIR /app", "COPY config/.env.production ./"))).toEqual(["no-env-file"]);
    expect(rules(GOOD.replace("WORKDIR /app", "COPY .env.example ./"))).toEqual([]);
    const wholeContext = GOOD.replace("WORKDIR /app", "COPY . .");
    expect(rules(wholeContext, "node_modules\n")).toEqual(["no-env-file"]);
    expect(rules(wholeContext, "node_modules\n.env\n")).toEqual([]);
  });

  it("refuses secrets in ENV and ARG", () => {
    expect(rules(GOOD.replace("WORKDIR /app", "ENV SLUICE_API_KEY=abc123"))).toEqual(["no-secrets"]);
    expect(rules(GOOD.replace("WORKDIR /app", "ARG DB_PASSWORD=hunter2"))).toEqual(["no-secrets"]);
    expect(rules(GOOD.replace("WORKDIR /app", "ENV SLUICE_HOME=/data NODE_ENV=production"))).toEqual([]);
  });
});

describe("lint-dockerfile CLI", () => {
  it("exits 1 naming file, line and rule for each problem, and 0 on a clean file", () => {
    const dir = mkdtempSync(join(tmpdir(), "lint-dockerfile-"));
    writeFileSync(join(dir, "Dockerfile"), "FROM node:latest\nCOPY . .\n");
    const bad = spawnSync(process.execPath, ["--import", "tsx", LINTER, join(dir, "Dockerfile")], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(
      `${join(dir, "Dockerfile")}:1 pinned-base: base image node:latest uses :latest`,
    );
    expect(bad.stderr).toContain(":2 no-env-file:");
    expect(bad.stderr).toContain(":1 non-root-user:");
    writeFileSync(join(dir, "Dockerfile"), GOOD);
    const good = spawnSync(process.execPath, ["--import", "tsx", LINTER, join(dir, "Dockerfile")], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(good.stderr).toBe("");
    expect(good.status).toBe(0);
  });
});
