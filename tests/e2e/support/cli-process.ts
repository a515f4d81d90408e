import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Node arguments that run the CLI from source. */
export const CLI = ["--conditions=@sluice/source", "--import", "tsx", join(ROOT, "packages/cli/src/main.ts")];

/** Runs `sluice ARGS` to completion, answering its exit code and its stdout and stderr interleaved. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  cwd: string = ROOT,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd, env: { ...process.env, ...env } });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("close", (code) => resolve({ code, output }));
  });
}

/** The environment of an embedded `sluice start` on PGlite in `home`, listening on `port`. */
export function embeddedEnv(home: string, port: number): Record<string, string> {
  return {
    SLUICE_HOME: home,
    SLUICE_SERVER_PORT: String(port),
    SLUICE_API_URL: `http://127.0.0.1:${port}`,
    SLUICE_DATABASE_URL: "",
    NO_COLOR: "1",
  };
}
