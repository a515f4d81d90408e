import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { task, unmapped } from "../tasks/task.js";
import { flow, type Flow } from "./flow.js";

// Type-level checks only: nothing here runs a flow.
describe("flow and task types", () => {
  it("infers parameters from the zod schema, optional when every field has a default", () => {
    const withDefaults = flow(
      { name: "t1", parameters: z.object({ name: z.string().default("world") }) },
      async ({ name }) => Promise.resolve(name.length),
    );
    expectTypeOf(withDefaults).toEqualTypeOf<Flow<{ name?: string | undefined }, number>>();
    expectTypeOf(withDefaults).toBeCallableWith();
    const required = flow({ name: "t2", parameters: z.object({ n: z.number() }) }, async ({ n }) =>
      Promise.resolve(n),
    );
    expectTypeOf(required).parameters.toEqualTypeOf<[parameters: { n: number }]>();
    const untyped = flow("t3", async () => Promise.resolve("x"));
    expectTypeOf(untyped).toBeCallableWith();
    expectTypeOf(untyped).returns.resolves.toEqualTypeOf<string>();
  });

  it("types task calls, promises of arguments and map", () => {
    const add = task({ name: "add" }, async (a: number, b: number) => Promise.resolve(a + b));
    expectTypeOf(add).toBeCallableWith(1, Promise.resolve(2));
    expectTypeOf(add).returns.resolves.toEqualTypeOf<number>();
    expectTypeOf(add.map).toBeCallableWith([1, 2], unmapped(3));
    expectTypeOf(add.map).returns.resolves.toEqualTypeOf<number[]>();
  });
});
