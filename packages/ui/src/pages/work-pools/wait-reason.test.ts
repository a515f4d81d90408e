import type { ConcurrencyLimitUsage, FlowRun, WorkPool, WorkQueue, Worker } from "@sluice/contracts";
import { describe, expect, it } from "vitest";
import { waitReason, type WaitContext } from "./wait-reason.js";

const NOW = Date.parse("2026-01-01T12:00:00Z");
const past = new Date(NOW - 60_000).toISOString();
const future = new Date(NOW + 3_600_000).toISOString();

const run = (fields: Partial<FlowRun>) =>
  ({
    id: "r",
    stateType: "SCHEDULED",
    stateName: "Scheduled",
    expectedStartTime: past,
    nextScheduledStartTime: past,
    workQueueName: "default",
    deploymentId: "d1",
    workerId: null,
    state: null,
    ...fields,
  }) as FlowRun;

const usage = (fields: Partial<ConcurrencyLimitUsage>) =>
  ({
    kind: "work-pool",
    id: "p",
    name: "pool",
    limit: null,
    inUse: 0,
    waiting: 0,
    ...fields,
  }) as ConcurrencyLimitUsage;

function context(fields: Partial<WaitContext> = {}): WaitContext {
  return {
    pool: { name: "pool", paused: false } as WorkPool,
    queues: [{ name: "default", paused: false } as WorkQueue],
    workers: [{ id: "w", name: "w1", status: "ONLINE" } as Worker],
    limits: [usage({})],
    now: NOW,
    ...fields,
  };
}

describe("waitReason", () => {
  it("names what holds a due run back, in the order a claim would stop it", () => {
    expect(waitReason(run({}), context())).toBeUndefined();
    expect(waitReason(run({ nextScheduledStartTime: future }), context())).toMatch(/^scheduled for /);
    expect(waitReason(run({}), context({ pool: { paused: true } as WorkPool }))).toBe(
      "the work pool is paused",
    );
    expect(waitReason(run({}), context({ queues: [{ name: "default", paused: true } as WorkQueue] }))).toBe(
      "queue default is paused",
    );
    expect(waitReason(run({}), context({ limits: [usage({ limit: 2, inUse: 2 })] }))).toBe(
      "the pool's concurrency limit is reached (2 of 2 slots in use)",
    );
    const queueFull = usage({ kind: "work-queue", name: "default", limit: 1, inUse: 1 });
    expect(waitReason(run({}), context({ limits: [usage({}), queueFull] }))).toBe(
      "queue default's concurrency limit is reached (1 of 1 slots in use)",
    );
    const deploymentFull = usage({ kind: "deployment", id: "d1", name: "etl/nightly", limit: 1, inUse: 1 });
    expect(waitReason(run({}), context({ limits: [deploymentFull] }))).toBe(
      "deployment etl/nightly's concurrency limit is reached (1 of 1 slots in use)",
    );
    expect(
      waitReason(run({ stateName: "AwaitingConcurrencySlot" }), context({ limits: [deploymentFull] })),
    ).toBe("waiting for a slot of deployment etl/nightly (1 of 1 slots in use)");
    expect(
      waitReason(run({}), context({ workers: [{ id: "w", name: "w1", status: "OFFLINE" } as Worker] })),
    ).toBe("no worker of the pool is online");
  });

  it("says who claimed a PENDING run and whether it was claimed ahead of time", () => {
    expect(waitReason(run({ stateType: "PENDING", workerId: "w" }), context())).toBe(
      "claimed by worker w1; its process is starting",
    );
    expect(
      waitReason(run({ stateType: "PENDING", workerId: "w", expectedStartTime: future }), context()),
    ).toMatch(/^claimed ahead of time by worker w1; starts at /);
    const offline = context({ workers: [{ id: "w", name: "w1", status: "OFFLINE" } as Worker] });
    expect(waitReason(run({ stateType: "PENDING", workerId: "w" }), offline)).toBe(
      "claimed by worker w1, which is offline",
    );
  });
});
