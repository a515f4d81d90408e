import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** A real server process for UI tests (tests/support/ui-test-server.ts). */
export interface UiTestServer {
  readonly url: string;
  close(): Promise<void>;
}

const ROOT = fileURLToPath(new URL("../../../../", "file://" + __filename));

/** Starts a real Sluice server in a child process (PGlite, or SLUICE_TEST_DATABASE_URL). */
export async function startUiTestServer(options: { apiKey?: string } = {}): Promise<UiTestServer> {
  const args = ["--conditions=@sluice/source", "--import", "tsx", "tests/support/ui-test-server.ts"];
  if (options.apiKey) args.push("--api-key", options.apiKey);
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the test server exited with ${code} before listening`)));
    lines.once("line", (line) => resolve((JSON.parse(line) as { url: string }).url));
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
