/**
 * Measures the SDK's cost against plain function calls, on the server at SLUICE_API_URL:
 * - per-task overhead: a flow of N no-op tasks, sequential and concurrent, minus the same calls as plain
 *   functions, divided by N (all task states flushed before the flow run ends);
 * - empty flow call: M empty flow runs one after another, every state recorded.
 * Prints one JSON line. Env: TASKS (10000), FLOWS (1000).
 */
import { closeSdk, configureSdk, flow, runFlow, task } from "@sluice/sdk";
import { createClient } from "@sluice/client";

const TASKS = Number(process.env.TASKS ?? 10_000);
const FLOWS = Number(process.env.FLOWS ?? 1_000);
const apiUrl = process.env.SLUICE_API_URL;
if (!apiUrl) throw new Error("SLUICE_API_URL must point at the server under test");
configureSdk({ apiUrl });
const client = createClient({ baseUrl: apiUrl });

const plain = async (i: number): Promise<number> => i;
const noop = task({ name: "noop" }, async (i: number): Promise<number> => i);

const seqPlain = async (): Promise<void> => {
  for (let i = 0; i < TASKS; i++) await plain(i);
};
const concPlain = async (): Promise<void> => {
  await Promise.all(Array.from({ length: TASKS }, (_, i) => plain(i)));
};
const seqFlow = flow({ name: "bench-sequential-tasks" }, async () => {
  for (let i = 0; i < TASKS; i++) await noop(i);
});
const concFlow = flow({ name: "bench-concurrent-tasks", taskConcurrency: TASKS }, async () => {
  await Promise.all(Array.from({ length: TASKS }, (_, i) => noop(i)));
});
const empty = flow({ name: "bench-empty-flow" }, async () => null);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Counts COMPLETED task runs of a flow run through the API: the benchmark proves nothing was lost. */
async function completedTaskRuns(flowRunId: string): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await client.call("filterTaskRuns", {
      body: { flowRunIds: [flowRunId], stateTypes: ["COMPLETED"], limit: 1000, cursor },
    });
    count += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return count;
}

async function overhead(label: string, flowObj: typeof seqFlow, baseline: () => Promise<void>) {
  await runFlow(flowObj, {}); // warm-up: JIT, connections, flow registration
  const baseMs = await timed(baseline);
  let flowRunId = "";
  const wallMs = await timed(async () => {
    flowRunId = (await runFlow(flowObj, {})).flowRunId;
  });
  const recorded = await completedTaskRuns(flowRunId);
  return {
    mode: label,
    tasks: TASKS,
    wallMs: Math.round(wallMs),
    plainMs: +baseMs.toFixed(2),
    overheadMsPerTask: +((wallMs - baseMs) / TASKS).toFixed(4),
    taskRunsRecordedCompleted: recorded,
  };
}

const sequential = await overhead("sequential", seqFlow, seqPlain);
const concurrent = await overhead("concurrent", concFlow, concPlain);

for (let i = 0; i < 20; i++) await runFlow(empty, {});
const flowIds: string[] = [];
const emptyMs = await timed(async () => {
  for (let i = 0; i < FLOWS; i++) flowIds.push((await runFlow(empty, {})).flowRunId);
});
const last = await client.call("readFlowRun", { params: { id: flowIds[flowIds.length - 1]! } });

process.stdout.write(
  JSON.stringify({
    tasks: [sequential, concurrent],
    emptyFlow: {
      calls: FLOWS,
      totalMs: Math.round(emptyMs),
      msPerFlowRun: +(emptyMs / FLOWS).toFixed(3),
      lastRunState: last.stateType,
    },
  }) + "\n",
);
await closeSdk();
