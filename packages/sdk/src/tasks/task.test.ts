import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { writeCacheEntry } from "../caching/cache-index.js";
import { getRunContext } from "../context/run-context.js";
import { flow } from "../flows/flow.js";
import { getRunLogger } from "../logging/run-logger.js";
import { readResult } from "../results/result-serializer.js";
import { startSdkTestServer, waitFor, type SdkTestContext } from "../testing/sdk-test-server.js";
import type { TaskHookInfo } from "./task-options.js";
import { task, unmapped } from "./task.js";

let ctx: SdkTestContext;
beforeAll(async () => {
  ctx = await startSdkTestServer();
});
afterAll(() => ctx.close());

/** Runs `body` as a flow run and returns its id and result. */
async function inFlow<R>(body: () => Promise<R>, options: { taskConcurrency?: number } = {}) {
  const f = flow({ name: "task-test", ...options }, async () => ({
    value: await body(),
    id: getRunContext().flowRunId,
  }));
  return f();
}

async function taskRunsOf(flowRunId: string) {
  return (await ctx.client.filterTaskRuns({ flowRunIds: [flowRunId] })).items;
}

async function stateNames(taskRunId: string) {
  return (await ctx.client.readTaskRunStates(taskRunId)).map((s) => s.name);
}

describe("task", () => {
  it("runs plainly outside a flow, and task(fn) takes the function's name", async () => {
    const double = task(async function double(x: number) {
      return x * 2;
    });
    expect(double.taskName).toBe("double");
    expect(await double(4)).toBe(8);
  });

  it("retries with delays and jitter until it succeeds", async () => {
    let calls = 0;
    const flaky = task(
      { name: "flaky", retries: 2, retryDelaySeconds: [0.01, 0.02], retryJitterFactor: 0.5 },
      async () => {
        if (++calls < 3) throw new Error(`fail ${calls}`);
        return getRunContext().attempt;
      },
    );
    const { value, id } = await inFlow(() => flaky());
    expect(value).toBe(3);
    const [run] = await taskRunsOf(id);
    expect(await stateNames(run!.id)).toEqual([
      "Pending",
      "Running",
      "AwaitingRetry",
      "Retrying",
      "AwaitingRetry",
      "Retrying",
      "Completed",
    ]);
  });

  it("stops retrying when retryCondition says no", async () => {
    let calls = 0;
    const picky = task(
      { name: "picky", retries: 5, retryCondition: (error) => !(error instanceof TypeError) },
      async () => {
        calls++;
        throw new TypeError("not retryable");
      },
    );
    await expect(inFlow(() => picky())).rejects.toThrow("not retryable");
    expect(calls).toBe(1);
  });

  it("times out as TimedOut and aborts the run's signal", async () => {
    let aborted = false;
    const slow = task({ name: "slow", timeoutSeconds: 0.05 }, async () => {
      const { signal } = getRunContext();
      await new Promise((resolve) => signal.addEventListener("abort", resolve));
      aborted = true;
    });
    const f = flow({ name: "timeouts" }, async () => {
      const id = getRunContext().flowRunId;
      await slow().catch(() => undefined);
      return id;
    });
    const id = await f();
    expect(aborted).toBe(true);
    const [run] = await taskRunsOf(id);
    expect(run).toMatchObject({ stateType: "FAILED", stateName: "TimedOut" });
  });

  it("caches by inputs, honours refreshCache, and persists results that read back", async () => {
    let calls = 0;
    const square = task({ name: "square", cachePolicy: "inputs" }, async (x: number) => ({
      v: x * x,
      call: ++calls,
    }));
    const first = await inFlow(() => square(3));
    const second = await inFlow(() => square(3));
    expect(second.value).toEqual(first.value);
    expect(calls).toBe(1);
    const [cached] = await taskRunsOf(second.id);
    expect(cached).toMatchObject({ stateType: "COMPLETED", stateName: "Cached" });
    expect(cached!.state!.details.cacheKey).toMatch(/^[0-9a-f]{64}$/);
    expect(await readResult(ctx.resultStore, cached!.result!)).toEqual({ v: 9, call: 1 });
    await inFlow(() => square(4));
    expect(calls).toBe(2);
    const refreshing = task(
      { name: "square", cachePolicy: "inputs", refreshCache: true },
      async (x: number) => ({ v: x * x, call: ++calls }),
    );
    expect((await inFlow(() => refreshing(3))).value).toEqual({ v: 9, call: 3 });
  });

  it("caches by flow parameters and by a custom key, and expires", async () => {
    let calls = 0;
    const byParams = task({ name: "by-params", cachePolicy: "flowParameters" }, async () => ++calls);
    const f = flow({ name: "cache-params", parameters: z.object({ day: z.string() }) }, async () =>
      byParams(),
    );
    expect([await f({ day: "mon" }), await f({ day: "mon" }), await f({ day: "tue" })]).toEqual([1, 1, 2]);
    let customCalls = 0;
    const custom = task(
      { name: "custom", cacheKeyFn: (_c, [k]: [string]) => `custom/${k}/../x`, cacheExpirationSeconds: 3600 },
      async (_k: string) => ++customCalls,
    );
    await inFlow(() => custom("a"));
    const { id } = await inFlow(() => custom("a"));
    expect(customCalls).toBe(1);
    const [cached] = await taskRunsOf(id);
    expect(cached!.state!.details).toMatchObject({
      cacheKey: "custom/a/../x",
      cacheExpiration: expect.any(String),
    });
    // Expire the entry (as time passing would) and the next call runs again.
    await writeCacheEntry(
      ctx.resultStore,
      "custom/a/../x",
      cached!.result!,
      new Date(Date.now() - 1000).toISOString(),
    );
    await inFlow(() => custom("a"));
    expect(customCalls).toBe(2);
  });

  it("runs hooks; a hook's error is logged and does not change the state", async () => {
    const seen: string[] = [];
    const hooked = task(
      {
        name: "hooked",
        onRunning: (i: TaskHookInfo) => void seen.push(`running:${i.state.name}`),
        onCompletion: [
          (i) => void seen.push(`completed:${String(i.result)}`),
          () => {
            throw new Error("hook broke");
          },
        ],
        onFailure: (i) => void seen.push(`failed:${String(i.error)}`),
      },
      async (fail: boolean) => {
        if (fail) throw new Error("x");
        return 7;
      },
    );
    const { id } = await inFlow(() => hooked(false));
    await expect(inFlow(() => hooked(true))).rejects.toThrow("x");
    expect(seen).toEqual(["running:Running", "completed:7", "running:Running", "failed:Error: x"]);
    const [run] = await taskRunsOf(id);
    expect(run!.stateType).toBe("COMPLETED");
  });

  it("maps with zip and unmapped constants, recording task inputs from upstream results", async () => {
    const scale = task({ name: "scale" }, async (x: number, factor: number) => x * factor);
    const total = task({ name: "total" }, async (xs: number[]) => xs.reduce((a, b) => a + b, 0));
    const { value, id } = await inFlow(async () => {
      const scaled = await scale.map([1, 2, 3], unmapped(10));
      const pending = scale(5, 2);
      return [await total(scaled), await scale(pending, 3)];
    });
    expect(value).toEqual([60, 30]);
    const runs = await taskRunsOf(id);
    const byName = new Map(runs.map((r) => [r.name, r]));
    expect(byName.get("scale-4")!.taskInputs["0"]).toEqual([
      { kind: "task-run", id: byName.get("scale-3")!.id },
    ]);
    expect(byName.get("total-0")!.taskInputs["0"]).toHaveLength(3);
    expect(() => scale.map([1], [1, 2])).toThrow(/same length/);
  });

  it("bounds concurrent task runs per flow run", async () => {
    let running = 0;
    let peak = 0;
    const busy = task({ name: "busy" }, async () => {
      peak = Math.max(peak, ++running);
      await new Promise((resolve) => setTimeout(resolve, 2));
      running--;
    });
    await inFlow(() => Promise.all(Array.from({ length: 20 }, () => busy())), { taskConcurrency: 3 });
    expect(peak).toBe(3);
  });

  it("captures console output with logPrints and sends run logs", async () => {
    const chatty = task({ name: "chatty", logPrints: true }, async () => {
      console.log("printed %d", 42);
      getRunLogger().warning("careful");
    });
    const { id } = await inFlow(() => chatty());
    const logs = await waitFor(async () => {
      const page = await ctx.client.filterLogs({ flowRunId: id });
      return page.items.some((l) => l.message === "careful") ? page.items : undefined;
    });
    expect(logs.map((l) => [l.level, l.message])).toEqual(
      expect.arrayContaining([
        [20, "printed 42"],
        [30, "careful"],
      ]),
    );
    expect(logs.find((l) => l.message === "printed 42")!.taskRunId).not.toBeNull();
  });

  it("logs a failed task run's error with its stack under the task run", async () => {
    const broken = task({ name: "broken" }, async () => {
      await Promise.resolve();
      throw new TypeError("row 3 has no id");
    });
    const { id } = await inFlow(async () => {
      await broken().catch(() => undefined);
      return null;
    });
    const [taskRun] = await taskRunsOf(id);
    const logs = await waitFor(async () => {
      const page = await ctx.client.filterLogs({ taskRunId: taskRun!.id, levelMin: 40 });
      return page.items.length > 0 ? page.items : undefined;
    });
    expect(logs[0]!.message).toMatch(/^Finished in state Failed: TypeError: row 3 has no id\n\s+at /);
  });
});
