/**
 * End to end: a real server, real `sluice worker start` processes and the real `sluice flow-run
 * execute` child processes they launch for a deployment's runs.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient, type SluiceClient } from "@sluice/client";
import { isTerminalStateType, type FlowRun } from "@sluice/contracts";
import { startTestServer, type TestServer } from "@sluice/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
const FLOWS_DIR = fileURLToPath(new URL("../testing/fixtures/deployment/", import.meta.url));
const HOME = mkdtempSync(join(tmpdir(), "sluice-worker-e2e-"));
/** Pools are named per test run: on PostgreSQL the database outlives one run. */
const RUN = randomUUID().slice(0, 8);

let server: TestServer;
let api: SluiceClient;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  server = await startTestServer();
  api = createClient({ baseUrl: server.url });
});
afterAll(async () => {
  for (const worker of workers) worker.child.kill("SIGKILL");
  await server?.close();
});

/** A `sluice worker start` subprocess and what it has written so far. */
interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startWorker(args: string[]): WorkerProcess {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SLUICE_")));
  const child = spawn(
    process.execPath,
    ["--conditions=@sluice/source", "--import", "tsx", MAIN, "worker", "start", ...args],
    {
      env: { ...env, NO_COLOR: "1", SLUICE_HOME: HOME, SLUICE_API_URL: server.url },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const worker = { child, output: () => output, exited };
  workers.push(worker);
  return worker;
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 45_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function finalState(id: string): Promise<FlowRun> {
  return until(`flow run ${id} to end`, async () => {
    const run = await api.readFlowRun(id);
    return run.stateType && isTerminalStateType(run.stateType) ? run : undefined;
  });
}

async function deploy(pool: string, flowName: string, exportName: string, name = "e2e") {
  return api.call("upsertDeployment", {
    body: { flowName, name, entrypoint: `flows.ts:${exportName}`, path: FLOWS_DIR, workPoolName: pool },
  });
}

async function runDeployment(deploymentId: string, parameters: Record<string, unknown> = {}) {
  return api.call("createDeploymentFlowRun", { params: { id: deploymentId }, body: { parameters } });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("a process worker", () => {
  const pool = `e2e-process-${RUN}`;
  let worker: WorkerProcess;
  beforeAll(async () => {
    worker = startWorker(["--pool", pool, "--type", "process", "--cancel-grace-seconds", "3"]);
    await until("the worker to create its pool", () =>
      worker.output().includes("serving") ? true : undefined,
    );
  });

  it("runs a deployment's flow run to COMPLETED, copying its plain output into the run's logs once", async () => {
    const deployment = await deploy(pool, "worker-greet", "greet");
    const created = await runDeployment(deployment.id, { name: "Ada" });
    const run = await finalState(created.id);
    expect(run).toMatchObject({ stateType: "COMPLETED", workPoolName: pool });
    expect(Number(run.infrastructureId)).toBeGreaterThan(0);
    const logs = await until("the output logs", async () => {
      const page = await api.filterLogs({ flowRunId: created.id, limit: 1000 });
      return page.items.some((l) => l.name === "sluice.worker.output") ? page.items : undefined;
    });
    const plain = logs.filter((l) => l.message === "plain stdout: hello Ada");
    expect(plain).toEqual([expect.objectContaining({ name: "sluice.worker.output", level: 20 })]);
    // Logged by the SDK itself; the worker must not copy its stderr echo a second time.
    expect(logs.filter((l) => l.message === "logged hello Ada")).toHaveLength(1);
    expect(worker.output()).toContain(`[${run.name}] plain stdout: hello Ada`);
  });

  it("ends a failing flow FAILED, not CRASHED", async () => {
    const deployment = await deploy(pool, "worker-failing", "failing");
    const run = await finalState((await runDeployment(deployment.id)).id);
    expect(run.stateType).toBe("FAILED");
    expect(run.state?.message).toContain("deliberate failure");
  });

  it("retries a deployment run as the flow's own retries say", async () => {
    const deployment = await deploy(pool, "worker-flaky", "flaky");
    const run = await finalState((await runDeployment(deployment.id)).id);
    expect(run).toMatchObject({ stateType: "COMPLETED", runCount: 2, policy: { retries: 1 } });
  });

  it("marks the run CRASHED with the reason when its process is killed with SIGKILL", async () => {
    const deployment = await deploy(pool, "worker-sleepy", "sleepy", "crash");
    const created = await runDeployment(deployment.id);
    const pid = await until("the flow's first line", () => {
      const match = /sleepy pid (\d+)/.exec(worker.output().split(created.name).slice(1).join(""));
      return match ? Number(match[1]) : undefined;
    });
    process.kill(pid, "SIGKILL");
    const run = await finalState(created.id);
    expect(run.stateType).toBe("CRASHED");
    expect(run.state?.message).toContain("killed by SIGKILL");
  });

  it("cancels a running flow run: its process is stopped and the run ends CANCELLED", async () => {
    const deployment = await deploy(pool, "worker-sleepy", "sleepy", "cancel");
    const created = await runDeployment(deployment.id);
    const pid = await until("the flow's first line", () => {
      const match = /sleepy pid (\d+)/.exec(worker.output().split(created.name).slice(1).join(""));
      return match ? Number(match[1]) : undefined;
    });
    await api.setFlowRunState(created.id, { state: { type: "CANCELLING", message: "stop it" } });
    const run = await finalState(created.id);
    expect(run.stateType).toBe("CANCELLED");
    await until("the flow-run process to be gone", () => (isAlive(pid) ? undefined : true), 15_000);
  });

  it("stops claiming on SIGTERM and exits once its runs are done", async () => {
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain("stopping");
  });
});

describe("worker start options", () => {
  it("--run-once runs what is due and exits", async () => {
    const pool = `e2e-run-once-${RUN}`;
    await api.call("createWorkPool", { body: { name: pool, type: "process" } });
    const deployment = await deploy(pool, "worker-greet", "greet", "run-once");
    const created = await runDeployment(deployment.id, { name: "once" });
    const worker = startWorker(["--pool", pool, "--run-once"]);
    expect(await worker.exited).toBe(0);
    expect((await api.readFlowRun(created.id)).stateType).toBe("COMPLETED");
  });

  it("refuses a pool that does not exist without --type, naming it", async () => {
    const worker = startWorker(["--pool", `e2e-missing-pool-${RUN}`]);
    expect(await worker.exited).toBe(1);
    expect(worker.output()).toContain(`work pool 'e2e-missing-pool-${RUN}' does not exist`);
  });

  it("waits quietly while its pool is paused and runs the flow once it is resumed", async () => {
    const pool = `e2e-paused-${RUN}`;
    await api.call("createWorkPool", { body: { name: pool, type: "process", paused: true } });
    const deployment = await deploy(pool, "worker-greet", "greet", "paused");
    const created = await runDeployment(deployment.id);
    const worker = startWorker(["--pool", pool]);
    await until("the paused notice", () => (worker.output().includes("is paused") ? true : undefined));
    // Several claims later: still one notice, and the run has not been claimed.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(worker.output().match(/is paused/g)).toHaveLength(1);
    expect((await api.readFlowRun(created.id)).stateType).toBe("SCHEDULED");
    await api.call("updateWorkPool", { params: { pool }, body: { paused: false } });
    expect((await finalState(created.id)).stateType).toBe("COMPLETED");
    expect(worker.output()).toContain("resumed");
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  });
});
