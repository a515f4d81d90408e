/**
 * Figures with real worker processes and real flow-run child processes, on the server at
 * SLUICE_API_URL (started with SLUICE_ZOMBIE_WINDOW_SECONDS=ZOMBIE_WINDOW):
 * - from creating a deployment run to the first line of user code, over STARTS runs one at a time
 *   (the worker's claim, `sluice flow-run execute` starting, loading the flow file, RUNNING);
 * - kill -9 of a flow-run process: time until the server has the crash (rescheduled by crashRetries)
 *   and until the retry completes;
 * - kill -9 of a worker and its flow-run process: time until the zombie is found and until another
 *   worker completes the retry.
 * Uses the built CLI (node_modules/.bin/sluice), as users run it. Prints one JSON line.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@sluice/client";

const apiUrl = process.env.SLUICE_API_URL;
if (!apiUrl) throw new Error("SLUICE_API_URL must point at the server under test");
const STARTS = Number(process.env.STARTS ?? 20);
const root = join(import.meta.dirname, "..");
const client = createClient({ baseUrl: apiUrl });
const work = mkdtempSync(join(tmpdir(), "sluice-bench-worker-"));
const markFile = join(work, "marks");
const pool = `bench-worker-${process.pid}`;
const round = (n: number) => Math.round(n * 10) / 10;
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startWorker(name: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [join(root, "node_modules/.bin/sluice"), "worker", "start", "--pool", pool, "--name", name],
    {
      env: {
        ...process.env,
        SLUICE_API_URL: apiUrl,
        BENCH_MARK_FILE: markFile,
        SLUICE_HEARTBEAT_SECONDS: "2",
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  return child;
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 120_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const marks = () =>
  existsSync(markFile) ? readFileSync(markFile, "utf8").split("\n").filter(Boolean).map(Number) : [];
const readRun = (id: string) => client.call("readFlowRun", { params: { id } });

async function deploy(name: string, entrypoint: string) {
  return client.call("upsertDeployment", {
    body: { flowName: `bench-${name}`, name, entrypoint, path: root, workPoolName: pool, crashRetries: 1 },
  });
}

async function measureStarts(deploymentId: string, count: number) {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const seen = marks().length;
    const t0 = nowMs();
    const run = await client.call("createDeploymentFlowRun", { params: { id: deploymentId }, body: {} });
    const mark = await until("user code", () => marks()[seen]);
    latencies.push(mark - t0);
    await until("completion", async () =>
      (await readRun(run.id)).stateType === "COMPLETED" ? true : undefined,
    );
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) =>
    round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN);
  return { runs: count, p50Ms: at(50), p95Ms: at(95), maxMs: round(sorted.at(-1) ?? NaN) };
}

async function crashRun(
  deploymentId: string,
  label: string,
  kill: (flowPid: number, workerId: string) => void,
) {
  const pidFile = join(work, `${label}.pid`);
  const marker = join(work, `${label}.marker`);
  const run = await client.call("createDeploymentFlowRun", {
    params: { id: deploymentId },
    body: { parameters: { pidFile, marker } },
  });
  const pid = await until("the flow-run process", () =>
    existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8")) : undefined,
  );
  const running = await until("RUNNING", async () => {
    const r = await readRun(run.id);
    return r.stateType === "RUNNING" && r.workerId ? r : undefined;
  });
  const killedAt = Date.now();
  kill(pid, running.workerId!);
  const detected = await until("the crash", async () => {
    const r = await readRun(run.id);
    return r.stateType !== "RUNNING" ? r : undefined;
  });
  const detectionMs = Date.now() - killedAt;
  const ended = await until("the retry to end", async () => {
    const r = await readRun(run.id);
    return ["COMPLETED", "FAILED", "CRASHED", "CANCELLED"].includes(r.stateType ?? "") ? r : undefined;
  });
  return {
    detectionMs,
    detectedAs: detected.stateName,
    recoveredMs: Date.now() - killedAt,
    finalState: ended.stateName,
    retriedOnOtherWorker: ended.workerId !== running.workerId,
  };
}

const workers = new Map<string, ChildProcess>();
try {
  await client.call("createWorkPool", { body: { name: pool, type: "process" } });
  const instant = await deploy("instant", "bench/flows/instant.ts:instant");
  const sleepy = await deploy("sleepy", "bench/flows/sleepy.ts:sleepy");
  workers.set(`${pool}-a`, startWorker(`${pool}-a`));
  await until("the worker", async () => {
    const { items } = await client.call("listWorkers", { params: { pool } });
    return items.some((w) => w.status === "ONLINE") ? true : undefined;
  });
  // One warm-up run, so the figures are for a worker that has started a flow before.
  writeFileSync(markFile, "");
  await measureStarts(instant.id, 1);
  const starts = await measureStarts(instant.id, STARTS);
  const flowProcessKill = await crashRun(sleepy.id, "flow", (flowPid) => process.kill(flowPid, "SIGKILL"));
  workers.set(`${pool}-b`, startWorker(`${pool}-b`));
  await until("two workers", async () => {
    const { items } = await client.call("listWorkers", { params: { pool } });
    return items.filter((w) => w.status === "ONLINE").length >= 2 ? true : undefined;
  });
  const { items: poolWorkers } = await client.call("listWorkers", { params: { pool } });
  const workerKill = await crashRun(sleepy.id, "worker", (flowPid, workerId) => {
    const name = poolWorkers.find((w) => w.id === workerId)?.name ?? "";
    workers.get(name)?.kill("SIGKILL");
    process.kill(flowPid, "SIGKILL");
  });
  process.stdout.write(
    JSON.stringify({
      starts,
      flowProcessKill,
      workerKill: { ...workerKill, zombieWindowSeconds: Number(process.env.ZOMBIE_WINDOW ?? 90) },
    }) + "\n",
  );
} finally {
  for (const child of workers.values()) child.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
