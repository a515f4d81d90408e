import type { FlowRun, State, TaskRun } from "@sluice/contracts";
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flow, runFlow } from "../flows/flow.js";
import { task } from "../tasks/task.js";
import { startSdkTestServer, waitFor, type SdkTestContext } from "../testing/sdk-test-server.js";

/**
 * Retrying a deployment's flow run by hand, against a real server: the engine executes the run as a
 * worker's flow-run process would (runFlow with the run's id), the run fails in its last task, and
 * POST /api/flow-runs/{id}/retry schedules it again "from-failed" or "all".
 */
let ctx: SdkTestContext;
let deploymentId: string;
const suffix = randomUUID().slice(0, 8);

beforeAll(async () => {
  ctx = await startSdkTestServer();
  await ctx.client.call("createWorkPool", { body: { name: `sdk-retry-${suffix}`, type: "process" } });
  const deployment = await ctx.client.call("upsertDeployment", {
    body: {
      flowName: `retry-pipeline-${suffix}`,
      name: "pipeline",
      entrypoint: "flows/pipeline.ts:pipeline",
      workPoolName: `sdk-retry-${suffix}`,
    },
  });
  deploymentId = deployment.id;
});
afterAll(() => ctx.close());

/** a -> b -> c, counting executions; c fails while `failing` is set. */
function pipeline(options: { persistA: boolean }) {
  const counts = { a: 0, b: 0, c: 0 };
  const control = { failing: true, aValue: 1 };
  const a = task({ name: "a", persistResult: options.persistA }, () => {
    counts.a++;
    return { rows: control.aValue };
  });
  const b = task({ name: "b", persistResult: true }, (input: { rows: number }) => {
    counts.b++;
    return { rows: input.rows * 10 };
  });
  const c = task({ name: "c", persistResult: true }, (input: { rows: number }) => {
    counts.c++;
    if (control.failing) throw new Error("c is not ready yet");
    return `loaded ${input.rows}`;
  });
  const run = flow({ name: `retry-pipeline-${suffix}` }, async () => c(await b(await a())));
  return { run, counts, control };
}

async function newRun(): Promise<string> {
  const run = await ctx.client.call("createDeploymentFlowRun", { params: { id: deploymentId }, body: {} });
  return run.id;
}

const retry = (id: string, mode: "all" | "from-failed"): Promise<FlowRun> =>
  ctx.client.call("retryFlowRun", { params: { id }, body: { mode } });

async function taskRuns(flowRunId: string): Promise<Map<string, TaskRun>> {
  const page = await ctx.client.filterTaskRuns({ flowRunIds: [flowRunId], limit: 100 });
  return new Map(page.items.map((t) => [t.name, t]));
}

const stateNames = async (taskRunId: string) =>
  (await ctx.client.call("readTaskRunStates", { params: { id: taskRunId } })).map((s: State) => s.name);

/** The run's log lines containing `text`, once at least `atLeast` have arrived (logs are shipped in the background). */
async function logLines(flowRunId: string, text: string, atLeast = 1): Promise<string[]> {
  return waitFor(async () => {
    const page = await ctx.client.filterLogs({ flowRunId, limit: 500 });
    const found = page.items.map((l) => l.message).filter((m) => m.includes(text));
    return found.length >= atLeast ? found : undefined;
  });
}

describe("retrying a failed flow run by hand", () => {
  it("from-failed: reuses a and b, re-runs c on its own task run, and completes with b's result", async () => {
    const { run, counts, control } = pipeline({ persistA: true });
    const id = await newRun();
    const failed = await runFlow(run, {}, { flowRunId: id });
    expect(failed.state.type).toBe("FAILED");
    const before = await taskRuns(id);
    expect([...before.keys()].sort()).toEqual(["a-0", "b-0", "c-0"]);
    expect(before.get("b-0")?.state?.details).toMatchObject({
      flowRunAttempt: 1,
      inputsHash: expect.any(String) as string,
    });

    control.failing = false;
    await retry(id, "from-failed");
    // Marked Late before a worker starts it: the retry's mode still holds.
    await ctx.client.setFlowRunState(id, { state: { type: "SCHEDULED", name: "Late" } });
    const retried = await runFlow(run, {}, { flowRunId: id });
    expect(retried.state.type).toBe("COMPLETED");
    expect(retried.result).toBe("loaded 10");
    expect(counts).toEqual({ a: 1, b: 1, c: 2 });
    expect((await ctx.client.readFlowRun(id)).runCount).toBe(2);

    // One task run per call: a and b got a "Reused" state; c ran again on the same task run.
    const after = await taskRuns(id);
    expect([...after.keys()].sort()).toEqual(["a-0", "b-0", "c-0"]);
    for (const name of ["a-0", "b-0", "c-0"]) expect(after.get(name)?.id).toBe(before.get(name)?.id);
    const b = after.get("b-0")!;
    expect(b).toMatchObject({ stateType: "COMPLETED", stateName: "Reused", runCount: 1 });
    expect(b.state?.details).toMatchObject({ reusedFromAttempt: 1, flowRunAttempt: 2 });
    expect(b.state?.result).toEqual(before.get("b-0")?.state?.result);
    // Reusing is not running: the task run still ended when attempt 1 completed it.
    expect(b.endTime).toBe(before.get("b-0")?.endTime);
    expect(await stateNames(b.id)).toEqual(["Pending", "Running", "Completed", "Reused"]);
    const c = after.get("c-0")!;
    expect(c).toMatchObject({ stateType: "COMPLETED", stateName: "Completed", runCount: 2 });
    expect(await stateNames(c.id)).toEqual([
      "Pending",
      "Running",
      "Failed",
      "Pending",
      "Retrying",
      "Completed",
    ]);
    expect(await logLines(id, "not run again", 2)).toHaveLength(2);

    // A completed run retried "all" runs every task again, still on the same task runs.
    await retry(id, "all");
    const all = await runFlow(run, {}, { flowRunId: id });
    expect(all.state.type).toBe("COMPLETED");
    expect(counts).toEqual({ a: 2, b: 2, c: 3 });
    const rerun = await taskRuns(id);
    expect(rerun.size).toBe(3);
    expect(rerun.get("b-0")).toMatchObject({ stateName: "Completed", runCount: 2 });
  });

  it("from-failed re-runs what cannot be reused: an unpersisted result, changed inputs, an unreadable result", async () => {
    const { run, counts, control } = pipeline({ persistA: false });
    const id = await newRun();
    expect((await runFlow(run, {}, { flowRunId: id })).state.type).toBe("FAILED");

    // a's result was not persisted, so a runs again; it now returns another value, so b's inputs
    // changed and b runs again too.
    control.aValue = 2;
    await retry(id, "from-failed");
    expect((await runFlow(run, {}, { flowRunId: id })).state.type).toBe("FAILED");
    expect(counts).toEqual({ a: 2, b: 2, c: 2 });
    expect(await logLines(id, "was not persisted")).not.toHaveLength(0);
    expect(await logLines(id, "its inputs changed")).not.toHaveLength(0);

    // b's stored result is gone: b runs again, saying why.
    const b = (await taskRuns(id)).get("b-0")!;
    rmSync(join(ctx.home, "storage", b.state!.result!.key));
    control.failing = false;
    await retry(id, "from-failed");
    const done = await runFlow(run, {}, { flowRunId: id });
    expect(done.state.type).toBe("COMPLETED");
    expect(done.result).toBe("loaded 20");
    expect(counts).toEqual({ a: 3, b: 3, c: 3 });
    expect(await logLines(id, "could not be read")).not.toHaveLength(0);
  });
});
