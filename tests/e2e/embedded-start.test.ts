/**
 * `sluice start` (what `npm start` runs) serves the `default` process pool with a worker in the same
 * process: a deployment in that pool runs with no other setup, and Ctrl-C stops it all cleanly.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, embeddedEnv, ROOT, runCli } from "./support/cli-process.js";
import { freePort } from "./support/free-port.js";
import { createClient } from "@sluice/client";

describe("sluice start", () => {
  const home = mkdtempSync(join(tmpdir(), "sluice-e2e-start-"));
  mkdirSync(join(ROOT, ".sluice"), { recursive: true });
  const project = mkdtempSync(join(ROOT, ".sluice", "e2e-start-"));
  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
    rmSync(project, { recursive: true, force: true });
  });

  it("runs a deployment of the default pool on its embedded worker, and stops on SIGINT", async () => {
    cpSync(join(ROOT, "tests/e2e/fixtures/orchestration"), project, { recursive: true });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = { ...embeddedEnv(home, port), E2E_POOL: "default" };
    const server = spawn(process.execPath, [...CLI, "start", "--no-example"], {
      cwd: project,
      env: { ...process.env, ...env },
    });
    let output = "";
    server.stdout.on("data", (c: Buffer) => (output += c.toString()));
    server.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => server.on("exit", (code) => resolve(code)));
    try {
      const client = createClient({ baseUrl: url, retries: 0 });
      const deadline = Date.now() + 60_000;
      while (!(await client.isHealthy())) {
        if (Date.now() > deadline || server.exitCode !== null) throw new Error(`no server:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // Blocks work on a fresh SLUICE_HOME: the server generated its key file, for its owner only.
      const saved = await client.call("saveBlock", {
        params: { type: "secret", name: "e2e" },
        body: { data: { value: "kept" } },
      });
      expect(saved.data).toEqual({ value: "********" });
      if (process.platform !== "win32")
        expect(statSync(join(home, "encryption.key")).mode & 0o777).toBe(0o600);
      const deployed = await runCli(["deploy", "--name", "hello"], env, project);
      expect(deployed.code, deployed.output + output).toBe(0);
      const watched = await runCli(
        ["deployment", "run", "e2e-hello/hello", "--param", "n=3", "--watch"],
        env,
        project,
      );
      expect(watched.code, watched.output + output).toBe(0);
      expect(output).toMatch(/worker 'embedded' serving process pool 'default'/);
    } finally {
      server.kill("SIGINT");
    }
    expect(await exited).toBe(0);
    expect(output).toMatch(/Server stopped/);
  }, 120_000);
});
