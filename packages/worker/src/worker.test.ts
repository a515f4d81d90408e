import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer, connect, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type SluiceClient } from "@sluice/client";
import { isTerminalStateType, type FlowRun } from "@sluice/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkerTestServer, type WorkerTestServer } from "./testing/test-server.js";
import { createWorker, type Worker } from "./worker.js";
import type { WorkerOptions } from "./worker-options.js";
import type { WorkerLogger } from "./worker-logger.js";

let server: WorkerTestServer;
let api: SluiceClient;
const DIR = mkdtempSync(join(tmpdir(), "sluice-worker-"));
/** Pools are named per test run: on PostgreSQL the database outlives one run. */
const RUN = randomUUID().slice(0, 8);
const poolName = (name: string) => `${name}-${RUN}`;

beforeAll(async () => {
  server = await startWorkerTestServer();
  api = createClient({ baseUrl: server.url });
});
afterAll(() => server?.close());

function recordingLogger() {
  const lines: string[] = [];
  const logger: WorkerLogger = {
    info: (m) => lines.push(`INFO ${m}`),
    warn: (m) => lines.push(`WARN ${m}`),
    error: (m) => lines.push(`ERROR ${m}`),
    output: (stream, line) => lines.push(`${stream} ${line}`),
  };
  return { lines, logger };
}

/** Creates the pool, then starts a worker of it in this process. */
async function startWorker(options: Partial<WorkerOptions> & { pool: string }) {
  await api.call("createWorkPool", { body: { name: options.pool, type: "process" } });
  const { lines, logger } = recordingLogger();
  const worker = createWorker({
    apiUrl: server.url,
    launchers: { process: { flowRunCommand: ["false"] } },
    // These runs set their own command: a spare of the default one would only be in the way.
    warmStart: false,
    logger,
    ...options,
  });
  return { worker, lines, running: worker.run() };
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function finalState(id: string): Promise<FlowRun> {
  return until(`flow run ${id} to end`, async () => {
    const run = await api.readFlowRun(id);
    return run.stateType && isTerminalStateType(run.stateType) ? run : undefined;
  });
}

/** A deployment whose job runs `script` with node instead of a flow. */
async function runScript(pool: string, name: string, script: string) {
  const deployment = await api.call("upsertDeployment", {
    body: {
      flowName: "worker-unit",
      name,
      entrypoint: "flows.ts:none",
      path: DIR,
      workPoolName: pool,
      jobVariables: { command: [process.execPath, "-e", script] },
    },
  });
  return api.call("createDeploymentFlowRun", { params: { id: deployment.id }, body: {} });
}

async function stopped(worker: Worker, running: Promise<void>) {
  worker.stop();
  await running;
}

describe("the worker", () => {
  it("marks a run whose process exits non-zero CRASHED with the exit code and the last stderr lines", async () => {
    const { worker, running } = await startWorker({ pool: poolName("unit-crash") });
    const created = await runScript(
      poolName("unit-crash"),
      "crash",
      `console.error("disk is full"); process.exit(3)`,
    );
    const run = await finalState(created.id);
    expect(run.stateType).toBe("CRASHED");
    expect(run.state?.message).toMatch(/exited with code 3\nLast lines of stderr:\ndisk is full/);
    expect(Number(run.infrastructureId)).toBeGreaterThan(0);
    await stopped(worker, running);
  });

  it("registers itself with heartbeats that carry its facts", async () => {
    const { worker, running } = await startWorker({
      pool: poolName("unit-heartbeat"),
      name: "unit-worker",
      limit: 2,
    });
    const workers = await until("the heartbeat", async () => {
      const list = await api.call("listWorkers", { params: { pool: poolName("unit-heartbeat") } });
      return list.items.length ? list.items : undefined;
    });
    expect(workers[0]).toMatchObject({
      name: "unit-worker",
      status: "ONLINE",
      metadata: { pid: process.pid, limit: 2 },
    });
    expect(worker.isHealthy()).toBe(true);
    await stopped(worker, running);
  });

  it("keeps its running flow runs through a server outage, logs it once, and reconnects", async () => {
    const proxy = await startProxy(new URL(server.url).port);
    const { worker, lines, running } = await startWorker({
      pool: poolName("unit-outage"),
      apiUrl: `http://127.0.0.1:${proxy.port}`,
    });
    // The job outlives the outage and ends without recording a state: the worker must still see it end.
    const created = await runScript(
      poolName("unit-outage"),
      "outage",
      "setTimeout(() => process.exit(0), 2500)",
    );
    await until("the job to start", () =>
      lines.some((l) => l.includes("started cold (process")) ? true : undefined,
    );
    await proxy.close();
    await until("the outage to be noticed", () =>
      lines.some((l) => l.includes("lost contact")) ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await proxy.reopen();
    const run = await finalState(created.id);
    expect(run.state?.message).toContain("exited with code 0 without recording a final state");
    await until("the reconnection", () => (lines.some((l) => l.includes("reconnected")) ? true : undefined));
    expect(lines.filter((l) => l.includes("lost contact"))).toHaveLength(1);
    expect(lines.filter((l) => l.includes("reconnected"))).toHaveLength(1);
    await stopped(worker, running);
    await proxy.close();
  });
});

/** A TCP proxy to the server that can be cut (every connection dropped) and restored on the same port. */
async function startProxy(targetPort: string) {
  const sockets = new Set<Socket>();
  let listener: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      listener = createServer((client) => {
        const upstream = connect(Number(targetPort), "127.0.0.1");
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
          socket.on("error", () => socket.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      listener.listen(port, "127.0.0.1", () => {
        const address = listener?.address();
        port = typeof address === "object" && address ? address.port : port;
        resolve();
      });
    });
  await listen();
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        if (!listener?.listening) return resolve();
        listener.close(() => resolve());
      }),
    reopen: listen,
  };
}
