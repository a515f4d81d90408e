/**
 * The orchestration loop end to end, as an operator runs it: a real `sluice server start` process,
 * `sluice deploy` from a sluice.yaml, two `sluice worker start` processes, and flow runs executed as
 * real `sluice flow-run execute` child processes. Crashes are real `kill -9`s: of a flow-run process
 * (the worker sees it die and the run is retried by its crashRetries), and of a worker with its flow
 * process (heartbeats stop; the server declares the run a zombie, CRASHED, and schedules it again for
 * the other worker). On PGlite by default, on PostgreSQL when SLUICE_TEST_DATABASE_URL is set.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, cpSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./support/free-port.js";
import { createClient, type SluiceClient } from "@sluice/client";
import type { FlowRun } from "@sluice/contracts";
import { createScratchDatabase, TEST_ENCRYPTION_KEY, type ScratchDatabase } from "@sluice/server";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FIXTURE = join(ROOT, "tests/e2e/fixtures/orchestration");
const CLI_ARGS = ["--conditions=@sluice/source", "--import", "tsx", join(ROOT, "packages/cli/src/main.ts")];
const POOL = `e2e-${process.pid}`;

interface Started {
  child: ChildProcess;
  output: () => string;
}

function start(args: string[], env: Record<string, string>, cwd: string): Started {
  const child = spawn(process.execPath, [...CLI_ARGS, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
  return { child, output: () => output };
}

function run(args: string[], env: Record<string, string>, cwd: string) {
  const started = start(args, env, cwd);
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    started.child.on("close", (code) => resolve({ code, output: started.output() }));
  });
}

/** What the processes said, for a failure's message. */
let explain: () => string = () => "";

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${explain()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stop(started: Started | undefined): Promise<void> {
  const child = started?.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    }, 15_000).unref();
  });
}

describe("the orchestration loop (server, deploy, workers, flow-run processes)", () => {
  let home: string;
  let project: string;
  let env: Record<string, string>;
  let client: SluiceClient;
  let server: Started;
  let database: ScratchDatabase | undefined;
  const workers: { name: string; started: Started }[] = [];

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), "sluice-e2e-loop-"));
    // Inside the repository, so `@sluice/sdk` resolves for the flow file as in an installed project.
    mkdirSync(join(ROOT, ".sluice"), { recursive: true });
    project = mkdtempSync(join(ROOT, ".sluice", "e2e-loop-"));
    cpSync(FIXTURE, project, { recursive: true });
    const adminUrl = process.env.SLUICE_TEST_DATABASE_URL;
    database = adminUrl ? await createScratchDatabase(adminUrl, "e2e_loop") : undefined;
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    env = {
      SLUICE_HOME: home,
      SLUICE_API_URL: url,
      SLUICE_SERVER_PORT: String(port),
      SLUICE_LOG_LEVEL: "warn",
      SLUICE_DATABASE_URL: database?.url ?? "",
      // A server on PostgreSQL refuses to start without a block encryption key.
      SLUICE_ENCRYPTION_KEY: database ? TEST_ENCRYPTION_KEY : "",
      // Short windows so a zombie is found in seconds, not the default 90 s.
      SLUICE_ZOMBIE_WINDOW_SECONDS: "10",
      SLUICE_HEARTBEAT_SECONDS: "1",
      E2E_POOL: POOL,
    };
    server = start(["server", "start"], env, project);
    explain = () =>
      [{ name: "server", started: server }, ...workers]
        .map(({ name, started }) => `--- ${name}:\n${started.output().slice(-3000)}`)
        .join("\n");
    client = createClient({ baseUrl: url, retries: 0 });
    await waitFor("the server", async () => {
      if (server.child.exitCode !== null) throw new Error(`the server exited: ${server.output()}`);
      return (await client.isHealthy()) ? true : undefined;
    });
    const pool = await run(["work-pool", "create", POOL, "--type", "process"], env, project);
    expect(pool.code, pool.output).toBe(0);
    const deployed = await run(["deploy", "--all"], env, project);
    expect(deployed.code, deployed.output).toBe(0);
    for (const name of [`${POOL}-w1`, `${POOL}-w2`]) {
      workers.push({
        name,
        started: start(["worker", "start", "--pool", POOL, "--name", name], env, project),
      });
    }
    await waitFor("two workers online", async () => {
      const { items } = await client.call("listWorkers", { params: { pool: POOL } });
      return items.filter((w) => w.status === "ONLINE").length === 2 ? true : undefined;
    });
  }, 180_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => stop(w.started)));
    await stop(server);
    await database?.drop();
    rmSync(home, { recursive: true, force: true });
    if (project) rmSync(project, { recursive: true, force: true });
  });

  const readRun = (id: string) => client.call("readFlowRun", { params: { id } });
  const terminal = (id: string) =>
    waitFor(`flow run ${id} to end`, async () => {
      const flowRun = await readRun(id);
      return ["COMPLETED", "FAILED", "CANCELLED", "CRASHED"].includes(flowRun.stateType ?? "")
        ? flowRun
        : undefined;
    });
  const deploymentRun = async (name: string, parameters: Record<string, unknown>): Promise<FlowRun> => {
    const deployment = await client.call("readDeploymentByName", {
      params: { flowName: name === "hello" ? "e2e-hello" : "e2e-sleepy", name },
    });
    return client.call("createDeploymentFlowRun", { params: { id: deployment.id }, body: { parameters } });
  };

  it("runs a deployment with --watch and exits 0 when it completes", async () => {
    const watched = await run(
      ["deployment", "run", "e2e-hello/hello", "--param", "n=21", "--watch"],
      env,
      project,
    );
    expect(watched.code, watched.output).toBe(0);
    expect(watched.output).toMatch(/Completed/);
  }, 60_000);

  it("starts a run claimed ahead of time (prefetch) at its scheduled time, not before", async () => {
    const deployment = await client.call("readDeploymentByName", {
      params: { flowName: "e2e-hello", name: "hello" },
    });
    const scheduledTime = new Date(Date.now() + 3000).toISOString();
    const flowRun = await client.call("createDeploymentFlowRun", {
      params: { id: deployment.id },
      body: { parameters: { n: 2 }, state: { type: "SCHEDULED", details: { scheduledTime } } },
    });
    const pending = await waitFor("the claim", async () => {
      const r = await readRun(flowRun.id);
      return r.stateType === "PENDING" || r.stateType === "RUNNING" ? r : undefined;
    });
    expect(Date.parse(pending.updatedAt)).toBeLessThan(Date.parse(scheduledTime));
    expect((await terminal(flowRun.id)).stateType).toBe("COMPLETED");
    const states = await client.call("readFlowRunStates", { params: { id: flowRun.id } });
    const running = states.find((s) => s.type === "RUNNING");
    expect(Date.parse(running?.timestamp ?? "")).toBeGreaterThanOrEqual(Date.parse(scheduledTime));
  }, 60_000);

  it("refuses a run whose parameters break the flow's schema, naming the field", async () => {
    const refused = await run(["deployment", "run", "e2e-hello/hello", "--param", "n=-1"], env, project);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/parameters\.n/);
  }, 60_000);

  it("retries a run whose flow-run process was killed with -9 (crashRetries: 1)", async () => {
    const pidFile = join(home, "killed.pid");
    const marker = join(home, "killed.marker");
    const flowRun = await deploymentRun("sleepy", { pidFile, marker });
    const pid = await waitFor("the flow-run process", async () =>
      existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8")) : undefined,
    );
    process.kill(pid, "SIGKILL");
    const ended = await terminal(flowRun.id);
    expect(ended.stateType).toBe("COMPLETED");
    // The crash is not kept as a state of its own: the server turns it into AwaitingRetry, naming it.
    const states = await client.call("readFlowRunStates", { params: { id: flowRun.id } });
    const retry = states.find((s) => s.name === "AwaitingRetry");
    expect(retry?.message ?? "", JSON.stringify(states)).toMatch(/crash/i);
    expect(retry?.message ?? "").toMatch(/SIGKILL|signal|code/i);
    expect(readFileSync(marker, "utf8")).toMatch(/second attempt/);
  }, 90_000);

  it("finds a run whose worker and process were killed with -9, and the other worker completes it", async () => {
    const pidFile = join(home, "zombie.pid");
    const marker = join(home, "zombie.marker");
    const flowRun = await deploymentRun("sleepy", { pidFile, marker });
    const flowPid = await waitFor("the flow-run process", async () =>
      existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8")) : undefined,
    );
    const claimed = await readRun(flowRun.id);
    const { items } = await client.call("listWorkers", { params: { pool: POOL } });
    const owner = items.find((w) => w.id === claimed.workerId);
    const victim = workers.find((w) => w.name === owner?.name);
    if (!victim) throw new Error(`no started worker claimed ${flowRun.id} (worker id ${claimed.workerId})`);
    victim.started.child.kill("SIGKILL");
    process.kill(flowPid, "SIGKILL");
    const ended = await terminal(flowRun.id);
    expect(ended.stateType).toBe("COMPLETED");
    const states = await client.call("readFlowRunStates", { params: { id: flowRun.id } });
    const retry = states.find((s) => s.name === "AwaitingRetry");
    expect(retry?.message ?? "", JSON.stringify(states)).toMatch(/heartbeat/i);
    expect(ended.workerId).not.toBe(claimed.workerId);
  }, 120_000);
});
