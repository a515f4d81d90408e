import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRunContext } from "../context/run-context.js";
import { CancelledError, StateRejectedError, TimedOutError } from "../errors.js";
import { flow, runFlow } from "../flows/flow.js";
import type { FlowHookInfo } from "../flows/flow-options.js";
import { getRunLogger } from "../logging/run-logger.js";
import { readResult } from "../results/result-serializer.js";
import { task } from "../tasks/task.js";
import { startSdkTestServer, waitFor, type SdkTestContext } from "../testing/sdk-test-server.js";

let ctx: SdkTestContext;
beforeAll(async () => {
  ctx = await startSdkTestServer();
});
afterAll(() => ctx.close());

const stateNames = async (flowRunId: string) =>
  (await ctx.client.readFlowRunStates(flowRunId)).map((s) => s.name);

describe("flow engine", () => {
  it("retries a failed flow run through the server's AwaitingRetry", async () => {
    let calls = 0;
    const seen: string[] = [];
    const flaky = flow(
      {
        name: "flaky-flow",
        retries: 1,
        onRunning: (i: FlowHookInfo) => void seen.push(i.state.name),
        onCompletion: () => void seen.push("completed"),
      },
      async () => {
        calls++;
        if (calls === 1) throw new Error("first attempt fails");
        return getRunContext().attempt;
      },
    );
    const outcome = await runFlow(flaky, {});
    expect(outcome.result).toBe(2);
    expect(await stateNames(outcome.flowRunId)).toEqual([
      "Running",
      "AwaitingRetry",
      "Retrying",
      "Completed",
    ]);
    expect(seen).toEqual(["Running", "Retrying", "completed"]);
  });

  it("fails for good when retries run out, calling onFailure", async () => {
    const seen: unknown[] = [];
    const broken = flow({ name: "broken-flow", onFailure: (i) => void seen.push(i.error) }, async () => {
      throw new RangeError("nope");
    });
    const outcome = await runFlow(broken, {});
    expect(outcome.state).toMatchObject({ type: "FAILED", details: { errorName: "RangeError" } });
    expect(seen).toHaveLength(1);
  });

  it("times out as TimedOut and aborts the run's signal", async () => {
    let aborted = false;
    const slow = flow({ name: "slow-flow", timeoutSeconds: 0.05 }, async () => {
      const { signal } = getRunContext();
      await new Promise((resolve) => signal.addEventListener("abort", resolve));
      aborted = true;
    });
    const outcome = await runFlow(slow, {});
    expect(outcome.error).toBeInstanceOf(TimedOutError);
    expect(outcome.state).toMatchObject({
      type: "FAILED",
      name: "TimedOut",
      details: { timeoutSeconds: 0.05 },
    });
    expect(aborted).toBe(true);
  });

  it("persists the flow's result so it reads back", async () => {
    const answer = flow({ name: "answer" }, async () => ({ answer: 42 }));
    const outcome = await runFlow(answer, {});
    const run = await ctx.client.readFlowRun(outcome.flowRunId);
    expect(await readResult(ctx.resultStore, run.result!)).toEqual({ answer: 42 });
    const notPersisted = flow({ name: "answer", persistResult: false }, async () => 1);
    expect((await runFlow(notPersisted, {})).state.result).toBeNull();
  });

  it("runs subflows as child flow runs linked to a task run of the parent", async () => {
    const child = flow({ name: "child" }, async ({ x }: { x: number }) => x * 2);
    const parent = flow({ name: "parent" }, async () => [await child({ x: 1 }), await child({ x: 2 })]);
    const outcome = await runFlow(parent, {});
    expect(outcome.result).toEqual([2, 4]);
    const children = await ctx.client.filterFlowRuns({
      parentFlowRunId: outcome.flowRunId,
      sort: "CREATED_ASC",
    });
    // Children created in the same millisecond sort by id: order them by their parameter.
    const ordered = [...children.items].sort((a, b) => Number(a.parameters.x) - Number(b.parameters.x));
    expect(ordered.map((r) => [r.flowName, r.stateType, r.parameters])).toEqual([
      ["child", "COMPLETED", { x: 1 }],
      ["child", "COMPLETED", { x: 2 }],
    ]);
    const parentTask = await ctx.client.readTaskRun(ordered[0]!.parentTaskRunId!);
    expect(parentTask).toMatchObject({
      flowRunId: outcome.flowRunId,
      name: "child-0",
      stateType: "COMPLETED",
    });
  });

  it("notices CANCELLING through the heartbeat, aborts the signal and ends CANCELLED", async () => {
    let aborted = false;
    let started: (id: string) => void = () => undefined;
    const running = new Promise<string>((resolve) => (started = resolve));
    const step = task({ name: "step" }, async () => {
      const { signal } = getRunContext();
      await new Promise((resolve) => signal.addEventListener("abort", resolve));
      aborted = true;
    });
    const seen: string[] = [];
    const long = flow({ name: "long", onCancellation: (i) => void seen.push(i.state.name) }, async () => {
      started(getRunContext().flowRunId);
      await step();
    });
    const pending = runFlow(long, {});
    const id = await running;
    await ctx.client.setFlowRunState(id, { state: { type: "CANCELLING" } });
    const outcome = await pending;
    expect(outcome.error).toBeInstanceOf(CancelledError);
    expect(outcome.state).toMatchObject({ type: "CANCELLED" });
    expect(aborted).toBe(true);
    expect(seen).toEqual(["Cancelled"]);
    const [taskRun] = (await ctx.client.filterTaskRuns({ flowRunIds: [id] })).items;
    expect(taskRun).toMatchObject({ stateType: "CANCELLED" });
  });

  it("captures console output at flow level with logPrints", async () => {
    const printing = flow({ name: "printing", logPrints: true }, async () => {
      console.info("from the flow");
      getRunLogger().debug("below the default level");
      return getRunContext().flowRunId;
    });
    const id = await printing();
    const logs = await waitFor(async () => {
      const page = await ctx.client.filterLogs({ flowRunId: id, text: "from the flow" });
      return page.items.length > 0 ? page.items : undefined;
    });
    expect(logs[0]).toMatchObject({ level: 20, taskRunId: null, name: "sluice.flow_runs" });
  });

  it("records every task state idempotently even when a batch is sent twice", async () => {
    const noop = task({ name: "noop" }, async (i: number) => i);
    const many = flow({ name: "many", taskConcurrency: 500 }, async () =>
      Promise.all(Array.from({ length: 500 }, (_, i) => noop(i))),
    );
    const outcome = await runFlow(many, {});
    const page = await ctx.client.filterTaskRuns({
      flowRunIds: [outcome.flowRunId],
      stateTypes: ["COMPLETED"],
      limit: 1000,
    });
    expect(page.items).toHaveLength(500);
    const first = page.items[0]!;
    const states = await ctx.client.readTaskRunStates(first.id);
    const again = await ctx.client.recordTaskRuns({
      taskRuns: [
        {
          id: first.id,
          flowRunId: outcome.flowRunId,
          taskKey: "noop",
          name: first.name,
          dynamicKey: first.dynamicKey,
        },
      ],
      states: states.map((state) => ({ taskRunId: first.id, state })),
    });
    expect(again).toMatchObject({ taskRunsCreated: 0, statesCreated: 0 });
  });
});

describe("engine failures", () => {
  it("marks the run CRASHED when the engine itself fails, and calls onCrashed", async () => {
    const seen: string[] = [];
    const failingStore = {
      name: "broken",
      write: () => Promise.reject(new Error("disk full")),
      read: () => Promise.reject(new Error("absent")),
      exists: () => Promise.resolve(false),
    };
    const crashing = flow(
      { name: "crashing", resultStorage: failingStore, onCrashed: (i) => void seen.push(i.state.name) },
      async () => ({ id: getRunContext().flowRunId }),
    );
    await expect(crashing()).rejects.toThrow("disk full");
    const [run] = (await ctx.client.filterFlowRuns({ flowNames: ["crashing"] })).items;
    expect(run).toMatchObject({ stateType: "CRASHED" });
    expect(seen).toEqual(["Crashed"]);
  });

  it("surfaces a rejected transition as StateRejectedError", async () => {
    const racing = flow({ name: "racing" }, async () => {
      // Someone else ends the run while it is still executing: COMPLETED is then invalid.
      await ctx.client.setFlowRunState(getRunContext().flowRunId, { state: { type: "FAILED" }, force: true });
    });
    await expect(racing()).rejects.toBeInstanceOf(StateRejectedError);
  });
});

describe("existing runs and results", () => {
  it("executes an existing SCHEDULED flow run (as a worker would) instead of creating one", async () => {
    const created = await ctx.client.createFlowRun({ flowName: "deployed", parameters: { n: 2 } });
    const deployed = flow({ name: "deployed" }, async ({ n }: { n: number }) => n + 1);
    const outcome = await runFlow(deployed, created.parameters, { flowRunId: created.id });
    expect(outcome).toMatchObject({ flowRunId: created.id, result: 3, state: { type: "COMPLETED" } });
    expect(await stateNames(created.id)).toEqual(["Scheduled", "Running", "Completed"]);
  });

  it("completes without a result reference when the result is not JSON", async () => {
    const cyclic = flow({ name: "cyclic" }, async () => {
      const value: { self?: unknown } = {};
      value.self = value;
      return value;
    });
    const outcome = await runFlow(cyclic, {});
    expect(outcome.state).toMatchObject({ type: "COMPLETED", result: null });
  });
});
