/**
 * Server API throughput with autocannon, from this process against a server in another:
 * creating flow runs, and recording task-state batches (each request 50 task runs with
 * Pending, Running and Completed states, fresh ids every time so nothing is deduplicated).
 */
import { randomUUID } from "node:crypto";
import autocannon from "autocannon";

const BATCH_TASKS = 50;

export interface ThroughputResult {
  route: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  non2xx: number;
  errors: number;
  itemsPerSecond?: number;
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err: unknown, result) =>
      err
        ? reject(err instanceof Error ? err : new Error("autocannon failed", { cause: err }))
        : resolve(result),
    );
  });
}

function summarise(route: string, r: autocannon.Result, itemsPerRequest?: number): ThroughputResult {
  return {
    route,
    requestsPerSecond: Math.round(r.requests.average),
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    ...(itemsPerRequest ? { itemsPerSecond: Math.round(r.requests.average * itemsPerRequest) } : {}),
  };
}

function taskBatch(flowRunId: string): string {
  const now = Date.now();
  const taskRuns = [];
  const states = [];
  for (let i = 0; i < BATCH_TASKS; i++) {
    const id = randomUUID();
    taskRuns.push({ id, flowRunId, taskKey: "bench-task", name: `bench-task-${i}`, dynamicKey: String(i) });
    const at = (ms: number) => new Date(now + ms).toISOString();
    const state = (type: string, name: string, ms: number) => ({
      taskRunId: id,
      state: { id: randomUUID(), type, name, timestamp: at(ms), message: null, details: {}, result: null },
    });
    states.push(
      state("PENDING", "Pending", 0),
      state("RUNNING", "Running", 1),
      state("COMPLETED", "Completed", 2),
    );
  }
  return JSON.stringify({ taskRuns, states });
}

/** Runs both API workloads for `seconds` each with `connections` concurrent connections. */
export async function measureApi(
  baseUrl: string,
  seconds: number,
  connections = 10,
): Promise<ThroughputResult[]> {
  const headers = { "content-type": "application/json" };
  const create = await run({
    url: baseUrl,
    connections,
    duration: seconds,
    requests: [
      {
        method: "POST",
        path: "/api/flow-runs",
        headers,
        body: JSON.stringify({ flowName: "bench-api", parameters: {} }),
      },
    ],
  });
  // One running flow run per connection, as when that many flow runs record at once (a flow run's
  // own batches are applied one at a time, in order).
  const flowRunIds: string[] = [];
  for (let i = 0; i < connections; i++) {
    const res = await fetch(`${baseUrl}/api/flow-runs`, {
      method: "POST",
      headers,
      body: JSON.stringify({ flowName: "bench-api", state: { type: "RUNNING" } }),
    });
    flowRunIds.push(((await res.json()) as { id: string }).id);
  }
  let next = 0;
  const batches = await run({
    url: baseUrl,
    connections,
    duration: seconds,
    requests: [
      {
        method: "POST",
        path: "/api/task-runs/batch",
        headers,
        setupRequest: (req) => ({ ...req, body: taskBatch(flowRunIds[next++ % flowRunIds.length]!) }),
      },
    ],
  });
  return [
    summarise("POST /api/flow-runs", create),
    summarise(
      `POST /api/task-runs/batch (50 task runs, 150 states; ${connections} flow runs)`,
      batches,
      BATCH_TASKS * 3,
    ),
  ];
}
