/**
 * Dispatch figures on the server at SLUICE_API_URL, at the level of the claim API (what a worker
 * does, minus launching a process):
 * - latency from creating a deployment run to a waiting worker's claim, over RUNS runs sent one at a
 *   time with random gaps (p50, p95): the long-poll path;
 * - claims: CLAIMERS worker processes and CLAIM_RUNS instant runs: runs claimed twice, runs lost,
 *   and runs per second from the first create to the last COMPLETED.
 * Prints one JSON line.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createClient } from "@sluice/client";

const apiUrl = process.env.SLUICE_API_URL;
if (!apiUrl) throw new Error("SLUICE_API_URL must point at the server under test");
const RUNS = Number(process.env.RUNS ?? 200);
const CLAIMERS = Number(process.env.CLAIMERS ?? 4);
const CLAIM_RUNS = Number(process.env.CLAIM_RUNS ?? 2000);
const root = join(import.meta.dirname, "..");
const creator = createClient({ baseUrl: apiUrl });
const claimer = createClient({ baseUrl: apiUrl });

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

async function setUpDeployment(pool: string) {
  await creator.call("createWorkPool", { body: { name: pool, type: "process" } });
  return creator.call("upsertDeployment", {
    body: {
      flowName: "bench-instant",
      name: pool,
      entrypoint: "bench/flows/instant.ts:instant",
      path: root,
      workPoolName: pool,
    },
  });
}

/** Creates runs one at a time while one worker long-polls; latency = claim answer - create start. */
async function measureLatency() {
  const pool = `bench-latency-${process.pid}`;
  const deployment = await setUpDeployment(pool);
  const workerName = "latency-worker";
  await claimer.call("workerHeartbeat", { params: { pool }, body: { name: workerName } });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let done = false;
  const claimLoop = (async () => {
    while (!done) {
      const answer = await claimer.call("claimFlowRuns", {
        params: { pool },
        body: { workerName, limit: 10, prefetchSeconds: 0, waitMs: 2000 },
      });
      const at = nowMs();
      for (const { flowRun } of answer.runs) {
        const sent = sentAt.get(flowRun.id);
        if (sent !== undefined) latencies.push(at - sent);
      }
    }
  })();
  for (let i = 0; i < RUNS; i++) {
    await new Promise((r) => setTimeout(r, Math.random() * 100));
    const id = crypto.randomUUID();
    sentAt.set(id, nowMs());
    await creator.call("createDeploymentFlowRun", { params: { id: deployment.id }, body: { id } });
  }
  const deadline = Date.now() + 10_000;
  while (latencies.length < RUNS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  done = true;
  await claimLoop;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    runs: RUNS,
    claimed: latencies.length,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    maxMs: round(sorted.at(-1) ?? NaN),
  };
}

function startClaimer(pool: string, workerName: string) {
  const child = spawn(
    process.execPath,
    ["--conditions=@sluice/source", "--import", "tsx", join(root, "bench/claimer-process.ts")],
    {
      env: { ...process.env, BENCH_POOL: pool, WORKER_NAME: workerName },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const lines = createInterface({ input: child.stdout });
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (onReady = r));
  const result = new Promise<string[]>((resolve, reject) => {
    lines.on("line", (line) => {
      if (line === "ready") onReady();
      else resolve((JSON.parse(line) as { claimed: string[] }).claimed);
    });
    child.on("exit", (code) => (code === 0 ? undefined : reject(new Error(`claimer exited ${code}`))));
  });
  return { ready, result };
}

/** CLAIMERS processes claim CLAIM_RUNS runs created as fast as the API takes them. */
async function measureClaims() {
  const pool = `bench-claims-${process.pid}`;
  const deployment = await setUpDeployment(pool);
  const claimers = Array.from({ length: CLAIMERS }, (_, i) => startClaimer(pool, `claimer-${i}`));
  await Promise.all(claimers.map((c) => c.ready));
  // Wall-clock start: compared with the end times the server (same machine) records.
  const started = Date.now();
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < CLAIM_RUNS) {
        next += 1;
        const run = await creator.call("createDeploymentFlowRun", {
          params: { id: deployment.id },
          body: {},
        });
        ids.push(run.id);
      }
    }),
  );
  const claimedLists = await Promise.all(claimers.map((c) => c.result));
  const claimed = claimedLists.flat();
  // The claimers stop after an idle spell; the last COMPLETED came before that.
  const completed = await creator.call("countFlowRuns", {
    body: { deploymentIds: [deployment.id], stateTypes: ["COMPLETED"] },
  });
  const lastEnd = await creator.call("filterFlowRuns", {
    body: { deploymentIds: [deployment.id], sort: "EXPECTED_START_TIME_DESC", limit: 1000 },
  });
  const endMs = Math.max(...lastEnd.items.map((r) => Date.parse(r.endTime ?? r.updatedAt)));
  const wallMs = endMs - started;
  const unique = new Set(claimed);
  return {
    workers: CLAIMERS,
    runs: ids.length,
    claimedTwice: claimed.length - unique.size,
    lost: ids.filter((id) => !unique.has(id)).length,
    completed: completed.count,
    perWorker: claimedLists.map((l) => l.length),
    runsPerSecond: round((ids.length / wallMs) * 1000, 0),
  };
}

const latency = await measureLatency();
const claims = await measureClaims();
process.stdout.write(JSON.stringify({ latency, claims }) + "\n");
