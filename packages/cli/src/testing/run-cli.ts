import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** What a CLI subprocess did. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
/** The repository root, where the CLI subprocesses run. */
export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

let home: string | undefined;

/** A SLUICE_HOME for this test process, so results and databases never land in ~/.sluice. */
function testHome(): string {
  if (home === undefined) {
    const dir = mkdtempSync(join(tmpdir(), "sluice-cli-test-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    home = dir;
  }
  return home;
}

/** Most CLI subprocesses running at once: the machine has 2 cores, and the test server shares them. */
const MAX_RUNNING = 3;
let running = 0;
const waiting: (() => void)[] = [];

async function slot(): Promise<() => void> {
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  return () => {
    running -= 1;
    waiting.shift()?.();
  };
}

/**
 * Runs the real CLI from source in a subprocess, as `npm run sluice` does. The parent's SLUICE_* variables
 * are dropped so only `env` configures it; SLUICE_HOME is a temporary directory; colour is off.
 */
export async function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
  /** Written to the CLI's stdin, which is then closed (default: nothing). */
  input?: string,
): Promise<CliResult> {
  const release = await slot();
  try {
    return await spawnCli(args, env, timeoutMs, input);
  } finally {
    release();
  }
}

function spawnCli(
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs: number,
  input: string | undefined,
): Promise<CliResult> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("SLUICE_") && k !== "FORCE_COLOR"),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=@sluice/source", "--import", "tsx", MAIN, ...args], {
      cwd: REPO_ROOT,
      env: { ...base, NO_COLOR: "1", SLUICE_HOME: testHome(), ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    // Without input the CLI reads end-of-file at once, as from /dev/null. A CLI that exits before
    // reading its input closes the pipe (EPIPE): its exit code and output tell the test what happened.
    child.stdin.on("error", () => undefined);
    child.stdin.end(input ?? "");
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`sluice ${args.join(" ")} timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
