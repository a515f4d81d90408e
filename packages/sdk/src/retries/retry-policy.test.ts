import { describe, expect, it } from "vitest";
import { applyJitter, exponentialBackoff, retryDelayFor, sleep } from "./retry-policy.js";

describe("retry policy", () => {
  it("computes delays from a number, a list and a function", () => {
    expect(retryDelayFor(undefined, 1)).toBe(0);
    expect(retryDelayFor(3, 2)).toBe(3);
    expect([1, 2, 3, 4].map((n) => retryDelayFor([1, 5], n))).toEqual([1, 5, 5, 5]);
    expect(retryDelayFor((attempt) => attempt * 10, 3)).toBe(30);
    expect(exponentialBackoff(2).slice(0, 4)).toEqual([2, 4, 8, 16]);
  });

  it("jitters within [delay, delay * (1 + factor)]", () => {
    expect(applyJitter(10, 0.5, () => 0)).toBe(10);
    expect(applyJitter(10, 0.5, () => 1)).toBe(15);
    expect(applyJitter(10, undefined)).toBe(10);
  });

  it("sleep ends early on abort", async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
  });
});
