import { describe, expect, it } from "vitest";
import { createFailureLimiter, FAILURE_WINDOW_MS, MAX_FAILURES } from "./failure-limiter.js";

describe("the failure limiter", () => {
  it("blocks an address after MAX_FAILURES in a window, until the window ends", () => {
    let now = 0;
    const limiter = createFailureLimiter(() => now);
    for (let i = 1; i < MAX_FAILURES; i += 1) expect(limiter.recordFailure("a")).toBe(false);
    expect(limiter.retryAfterSeconds("a")).toBe(0);
    expect(limiter.recordFailure("a")).toBe(true);
    expect(limiter.retryAfterSeconds("a")).toBe(60);
    expect(limiter.retryAfterSeconds("b")).toBe(0);
    now = FAILURE_WINDOW_MS - 1;
    expect(limiter.retryAfterSeconds("a")).toBe(1);
    now = FAILURE_WINDOW_MS;
    expect(limiter.retryAfterSeconds("a")).toBe(0);
  });

  it("remembers at most 10,000 addresses, dropping expired ones first, then the oldest", () => {
    let now = 0;
    const limiter = createFailureLimiter(() => now);
    for (let i = 0; i < 10_000; i += 1) limiter.recordFailure(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size()).toBe(10_000);
    now = 1000;
    for (let i = 0; i < MAX_FAILURES; i += 1) limiter.recordFailure("new");
    expect(limiter.size()).toBe(10_000);
    expect(limiter.retryAfterSeconds("new")).toBe(60);
    now = FAILURE_WINDOW_MS;
    limiter.recordFailure("newer");
    expect(limiter.size()).toBe(2);
  });
});
