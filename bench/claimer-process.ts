/**
 * One claiming worker for the claims benchmark, in its own process: claims runs of BENCH_POOL as a
 * worker named WORKER_NAME and executes each as an instant flow (RUNNING, then COMPLETED through the
 * API). Stops after IDLE_MS without a run and prints the ids it claimed as one JSON line.
 */
import { createClient } from "@sluice/client";
import { randomUUID } from "node:crypto";

const apiUrl = process.env.SLUICE_API_URL;
const pool = process.env.BENCH_POOL;
const workerName = process.env.WORKER_NAME ?? `claimer-${process.pid}`;
const idleMs = Number(process.env.IDLE_MS ?? 3000);
if (!apiUrl || !pool) throw new Error("SLUICE_API_URL and BENCH_POOL are required");
const client = createClient({ baseUrl: apiUrl });

await client.call("workerHeartbeat", { params: { pool }, body: { name: workerName } });
const claimed: string[] = [];
let lastRunAt = Date.now();
process.stdout.write("ready\n");
while (Date.now() - lastRunAt < idleMs) {
  const answer = await client.call("claimFlowRuns", {
    params: { pool },
    body: { workerName, limit: 10, prefetchSeconds: 0, waitMs: 500 },
  });
  if (answer.runs.length > 0) lastRunAt = Date.now();
  await Promise.all(
    answer.runs.map(async ({ flowRun }) => {
      claimed.push(flowRun.id);
      for (const type of ["RUNNING", "COMPLETED"] as const) {
        await client.call("setFlowRunState", {
          params: { id: flowRun.id },
          body: { state: { id: randomUUID(), type, timestamp: new Date().toISOString() } },
        });
      }
    }),
  );
}
process.stdout.write(JSON.stringify({ workerName, claimed }) + "\n");
