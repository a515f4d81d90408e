/**
 * API authentication end to end: a real `sluice server start` with SLUICE_API_KEY, `sluice deploy`
 * and a `sluice worker start` given the key, and a `sluice deployment run --watch` whose flow-run
 * process (launched by the worker) reports with the key it was handed. The same CLI without the
 * key is refused with a message saying what to do, and no process prints the key.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "@sluice/client";
import { createScratchDatabase, type ScratchDatabase, TEST_ENCRYPTION_KEY } from "@sluice/server";
import { freePort } from "./support/free-port.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI_ARGS = ["--conditions=@sluice/source", "--import", "tsx", join(ROOT, "packages/cli/src/main.ts")];
const POOL = `e2e-auth-${process.pid}`;
const KEY = randomBytes(24).toString("hex");

function start(args: string[], env: Record<string, string>, cwd: string) {
  const child: ChildProcess = spawn(process.execPath, [...CLI_ARGS, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, output: () => output, exited };
}

async function run(args: string[], env: Record<string, string>, cwd: string) {
  const started = start(args, env, cwd);
  const code = await started.exited;
  return { code, output: started.output() };
}

async function stop(started: ReturnType<typeof start> | undefined): Promise<void> {
  if (!started || started.child.exitCode !== null || started.child.signalCode !== null) return;
  started.child.kill("SIGTERM");
  await started.exited;
}

describe("API authentication across server, CLI, worker and flow-run processes", () => {
  let home: string;
  let project: string;
  let env: Record<string, string>;
  let server: ReturnType<typeof start>;
  let worker: ReturnType<typeof start> | undefined;
  let database: ScratchDatabase | undefined;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), "sluice-e2e-auth-"));
    mkdirSync(join(ROOT, ".sluice"), { recursive: true });
    project = mkdtempSync(join(ROOT, ".sluice", "e2e-auth-"));
    cpSync(join(ROOT, "tests/e2e/fixtures/orchestration"), project, { recursive: true });
    const adminUrl = process.env.SLUICE_TEST_DATABASE_URL;
    database = adminUrl ? await createScratchDatabase(adminUrl, "e2e_auth") : undefined;
    const port = await freePort();
    env = {
      SLUICE_HOME: home,
      SLUICE_API_URL: `http://127.0.0.1:${port}`,
      SLUICE_SERVER_PORT: String(port),
      SLUICE_LOG_LEVEL: "warn",
      SLUICE_DATABASE_URL: database?.url ?? "",
      SLUICE_ENCRYPTION_KEY: database ? TEST_ENCRYPTION_KEY : "",
      SLUICE_API_KEY: KEY,
      E2E_POOL: POOL,
    };
    server = start(["server", "start"], env, project);
    const client = createClient({ baseUrl: env.SLUICE_API_URL ?? "", retries: 0 });
    for (const deadline = Date.now() + 60_000; !(await client.isHealthy());) {
      if (server.child.exitCode !== null || Date.now() > deadline) throw new Error(server.output());
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 90_000);

  afterAll(async () => {
    await stop(worker);
    await stop(server);
    await database?.drop();
    rmSync(home, { recursive: true, force: true });
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it("runs a deployment with the key everywhere, refuses the CLI without it, and never prints it", async () => {
    expect((await run(["work-pool", "create", POOL, "--type", "process"], env, project)).code).toBe(0);
    const deployed = await run(["deploy", "--all"], env, project);
    expect(deployed.code, deployed.output).toBe(0);
    worker = start(["worker", "start", "--pool", POOL], env, project);
    const watched = await run(
      ["deployment", "run", "e2e-hello/hello", "--param", "n=21", "--watch"],
      env,
      project,
    );
    expect(watched.code, `${watched.output}\n--- worker:\n${worker.output()}`).toBe(0);
    expect(watched.output).toMatch(/Completed/);

    const keyless = { ...env, SLUICE_API_KEY: "" };
    const refused = await run(["deployment", "run", "e2e-hello/hello", "--watch"], keyless, project);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain("the server needs an API key: set SLUICE_API_KEY");
    expect(refused.output).not.toMatch(/\n\s+at /); // no stack trace
    const keylessWorker = await run(["worker", "start", "--pool", POOL], keyless, project);
    expect(keylessWorker.code).toBe(1);
    expect(keylessWorker.output).toContain("the server needs an API key: set SLUICE_API_KEY");

    expect(server.output()).toMatch(/authentication failed/);
    for (const output of [server.output(), worker.output(), watched.output, deployed.output]) {
      expect(output).not.toContain(KEY.slice(0, 12));
    }
  }, 120_000);
});
