import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ParameterValidationError } from "../errors.js";
import { startSdkTestServer, type SdkTestContext } from "../testing/sdk-test-server.js";
import { task } from "../tasks/task.js";
import { flow, isFlow, runFlow } from "./flow.js";
import { getRunContext } from "../context/run-context.js";

let ctx: SdkTestContext;
beforeAll(async () => {
  ctx = await startSdkTestServer();
});
afterAll(() => ctx.close());

const add = task({ name: "add" }, async (a: number, b: number) => a + b);

describe("flow", () => {
  it("runs, records the flow run and its task runs, and returns the result", async () => {
    const hello = flow(
      {
        name: "hello",
        parameters: z.object({ name: z.string().default("world"), n: z.number().default(2) }),
      },
      async ({ name, n }) => {
        const sum = await add(n, 1);
        const mapped = await add.map([1, 2], [10, 20]);
        return { greeting: `hello ${name}`, sum, mapped, flowRunId: getRunContext().flowRunId };
      },
    );
    expect(isFlow(hello)).toBe(true);
    expect(hello.parameterSchema).toMatchObject({ type: "object" });
    const result = await hello({ name: "x" });
    expect(result).toMatchObject({ greeting: "hello x", sum: 3, mapped: [11, 22] });
    const run = await ctx.client.readFlowRun(result.flowRunId);
    expect(run).toMatchObject({ stateType: "COMPLETED", flowName: "hello", parameters: { name: "x", n: 2 } });
    expect(run.result).toMatchObject({ storage: "local", serializer: "json" });
    const taskRuns = await ctx.client.filterTaskRuns({ flowRunIds: [result.flowRunId] });
    expect(taskRuns.items.map((t) => [t.name, t.stateType]).sort()).toEqual([
      ["add-0", "COMPLETED"],
      ["add-1", "COMPLETED"],
      ["add-2", "COMPLETED"],
    ]);
    // Task runs created in the same millisecond sort by id: pick the first call by its name.
    const first = taskRuns.items.find((t) => t.name === "add-0")!;
    const states = await ctx.client.readTaskRunStates(first.id);
    expect(states.map((s) => s.name)).toEqual(["Pending", "Running", "Completed"]);
    expect(first.taskInputs).toEqual({
      "0": [{ kind: "parameter", name: "n" }],
      "1": [{ kind: "constant", type: "number" }],
    });
  });

  it("rejects invalid parameters listing every failing field, and creates no run", async () => {
    const strict = flow(
      { name: "strict", parameters: z.object({ a: z.number(), b: z.string() }) },
      async () => 1,
    );
    const error = await runFlow(strict, { a: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParameterValidationError);
    expect((error as ParameterValidationError).issues.map((i) => i.path)).toEqual(["a", "b"]);
    const runs = await ctx.client.filterFlowRuns({ flowNames: ["strict"] });
    expect(runs.items).toHaveLength(0);
  });

  it("reports a failed flow run through runFlow without throwing", async () => {
    const failing = flow({ name: "failing" }, async () => {
      throw new Error("boom");
    });
    const outcome = await runFlow(failing, {});
    expect(outcome.state).toMatchObject({ type: "FAILED", name: "Failed" });
    expect((outcome.error as Error).message).toBe("boom");
    await expect(failing()).rejects.toThrow("boom");
  });
});
