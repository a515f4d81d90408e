import { describe, expect, it } from "vitest";
import { computeCacheKey, stableStringify, type CacheKeyContext } from "./cache-policy.js";

const context: CacheKeyContext = {
  taskKey: "t",
  taskName: "t",
  flowRunId: "f",
  flowName: "fl",
  parameters: { p: 1 },
};

describe("cache keys", () => {
  it("hashes inputs independently of key order, per task", () => {
    expect(stableStringify({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    const key = computeCacheKey("inputs", undefined, context, [{ a: 1, b: 2 }]);
    expect(computeCacheKey("inputs", undefined, context, [{ b: 2, a: 1 }])).toBe(key);
    expect(computeCacheKey("inputs", undefined, { ...context, taskKey: "other" }, [{ a: 1, b: 2 }])).not.toBe(
      key,
    );
  });

  it("keys by flow parameters, by a custom function, or not at all", () => {
    const byParams = computeCacheKey("flowParameters", undefined, context, [1]);
    expect(computeCacheKey("flowParameters", undefined, context, [2])).toBe(byParams);
    expect(computeCacheKey(undefined, (c, [x]: [number]) => `${c.flowName}-${x}`, context, [3])).toBe("fl-3");
    expect(computeCacheKey("inputs", () => null, context, [3])).toBeUndefined();
    expect(computeCacheKey("none", undefined, context, [3])).toBeUndefined();
  });
});
