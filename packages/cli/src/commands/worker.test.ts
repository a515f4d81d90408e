/**
 * End to end: a real server, real `sluice worker start` processes and the real `sluice flow-run
 * execute` child processes they launch for a deployment's runs.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
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

async function deploy(
  pool: string,
  flowName: string,
  exportName: string,
  name = "e2e",
  more: { path?: string; jobVariables?: Record<string, unknown> } = {},
) {
  return api.call("upsertDeployment", {
    body: {
      flowName,
      name,
      entrypoint: `flows.ts:${exportName}`,
      path: FLOWS_DIR,
      workPoolName: pool,
      ...more,
    },
  });
}

async function runDeployment(deploymentId: string, parameters: Record<string, unknown> = {}) {
  return api.call("createDeploymentFlowRun", { params: { id: deploymentId }, body: { parameters } });
}

/** True while `pid` runs; a zombie (dead, not yet reaped by its new parent) counts as gone. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true; // no /proc: the signal test above is all there is
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

/** The pids of a worker's warm spares: its children started with --warm-spare (Linux /proc). */
function sparesOf(workerPid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (ppid === workerPid && cmdline.includes("--warm-spare")) pids.push(Number(entry));
    } catch {
      // The process ended while the list was read: it is no spare.
    }
  }
  return pids;
}

/** The pid a flow run's process announced in the worker's output. */
async function announcedPid(worker: WorkerProcess, runName: string): Promise<number> {
  return until("the flow's first line", () => {
    const match = /sleepy pid (\d+)/.exec(worker.output().split(runName).slice(1).join(""));
    return match ? Number(match[1]) : undefined;
  });
}

describe("a process worker's warm start", () => {
  const pool = `e2e-warm-${RUN}`;
  let worker: WorkerProcess;
  beforeAll(async () => {
    worker = startWorker(["--pool", pool, "--type", "process", "--cancel-grace-seconds", "3"]);
    await until("the worker to create its pool", () =>
      worker.output().includes("serving") ? true : undefined,
    );
  });

  /** The worker's line saying how the run started. */
  const startLine = (run: { id: string }) =>
    worker
      .output()
      .split("\n")
      .find((line) => line.includes(`(${run.id}) started`));

  it("hands consecutive runs to the process it keeps started; the pid it recorded is that process", async () => {
    const deployment = await deploy(pool, "worker-greet", "greet", "warm");
    const first = await finalState((await runDeployment(deployment.id, { name: "one" })).id);
    const second = await finalState((await runDeployment(deployment.id, { name: "two" })).id);
    expect([first.stateType, second.stateType]).toEqual(["COMPLETED", "COMPLETED"]);
    expect(startLine(second)).toContain(`started warm (process ${second.infrastructureId})`);
    expect(worker.output()).toContain(`[${second.name}] plain stdout: hello two`);
  });

  it("marks a warm-started run CRASHED with the reason when its process is killed with SIGKILL", async () => {
    const deployment = await deploy(pool, "worker-sleepy", "sleepy", "warm-crash");
    const created = await runDeployment(deployment.id);
    const pid = await announcedPid(worker, created.name);
    process.kill(pid, "SIGKILL");
    const run = await finalState(created.id);
    expect(startLine(created)).toContain(`started warm (process ${pid})`);
    expect(run.stateType).toBe("CRASHED");
    expect(run.state?.message).toContain("killed by SIGKILL");
  });

  it("cancels a warm-started run: its process is stopped and the run ends CANCELLED", async () => {
    const deployment = await deploy(pool, "worker-sleepy", "sleepy", "warm-cancel");
    const created = await runDeployment(deployment.id);
    const pid = await announcedPid(worker, created.name);
    await api.setFlowRunState(created.id, { state: { type: "CANCELLING", message: "stop it" } });
    expect((await finalState(created.id)).stateType).toBe("CANCELLED");
    expect(startLine(created)).toContain(`started warm (process ${pid})`);
    await until("the flow-run process to be gone", () => (isAlive(pid) ? undefined : true), 15_000);
  });

  it("starts a job with its own command cold", async () => {
    const quote = (arg: string) => `'${arg}'`;
    const command = [process.execPath, "--conditions=@sluice/source", "--import", "tsx", MAIN]
      .map(quote)
      .concat(["flow-run", "execute"])
      .join(" ");
    const deployment = await deploy(pool, "worker-greet", "greet", "own-command", {
      jobVariables: { command },
    });
    const run = await finalState((await runDeployment(deployment.id, { name: "own" })).id);
    expect(run.stateType).toBe("COMPLETED");
    expect(startLine(run)).toContain(
      `started cold (process ${run.infrastructureId}): its job sets its own command`,
    );
  });

  it("gives a warm run its job's environment, working directory and argv; a project with another tsconfig starts cold once", async () => {
    // A project outside the repository: no tsconfig.json up its tree, unlike the worker's directory.
    const project = mkdtempSync(join(tmpdir(), "sluice-warm-project-"));
    symlinkSync(
      fileURLToPath(new URL("../../../../node_modules", import.meta.url)),
      join(project, "node_modules"),
    );
    writeFileSync(
      join(project, "flows.ts"),
      `import { flow } from "@sluice/sdk";
export const where = flow({ name: "worker-where" }, async () => {
  await Promise.resolve();
  console.log("where " + JSON.stringify([process.cwd(), process.env.WARM_CHECK, process.argv[2]]));
});
`,
    );
    const deployment = await deploy(pool, "worker-where", "where", "where", {
      path: project,
      jobVariables: { env: { WARM_CHECK: "from-job" } },
    });
    const cold = await finalState((await runDeployment(deployment.id)).id);
    const warm = await finalState((await runDeployment(deployment.id)).id);
    expect([cold.stateType, warm.stateType]).toEqual(["COMPLETED", "COMPLETED"]);
    expect(startLine(cold)).toMatch(/started cold \(process \d+\): its directory uses no tsconfig.json/);
    expect(startLine(warm)).toContain("started warm");
    for (const run of [cold, warm]) {
      expect(worker.output()).toContain(
        `[${run.name}] where ${JSON.stringify([project, "from-job", run.id])}`,
      );
    }
  });

  it("stops its spare when it stops", async () => {
    const spares = await until("a spare", () => sparesOf(worker.child.pid as number)[0]);
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    await until("the spare to be gone", () => (isAlive(spares) ? undefined : true), 10_000);
  });
});

describe("a worker killed with SIGKILL", () => {
  it("leaves no spare behind: the spare exits when its stdin closes", async () => {
    const worker = startWorker(["--pool", `e2e-warm-kill-${RUN}`, "--type", "process"]);
    const spare = await until("a spare", () => sparesOf(worker.child.pid as number)[0]);
    worker.child.kill("SIGKILL");
    await worker.exited;
    await until("the spare to exit", () => (isAlive(spare) ? undefined : true), 10_000);
  });

  it("--no-warm-start keeps no spare and starts runs cold", async () => {
    const pool = `e2e-cold-${RUN}`;
    const worker = startWorker(["--pool", pool, "--type", "process", "--no-warm-start"]);
    await until("the worker to create its pool", () =>
      worker.output().includes("serving") ? true : undefined,
    );
    const deployment = await deploy(pool, "worker-greet", "greet", "cold");
    const run = await finalState((await runDeployment(deployment.id)).id);
    expect(run.stateType).toBe("COMPLETED");
    expect(worker.output()).toContain(
      `(${run.id}) started cold (process ${run.infrastructureId}): warm start is off`,
    );
    expect(sparesOf(worker.child.pid as number)).toEqual([]);
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  });
});
