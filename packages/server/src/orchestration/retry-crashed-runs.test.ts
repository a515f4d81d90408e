import { DEFAULT_STATE_NAMES, type State, type StateType } from "@sluice/contracts";
import { describe, expect, it } from "vitest";
import { decideFlowRunTransition } from "./flow-run-policy.js";
import { retryCrashedRuns } from "./rules/retry-crashed-runs.js";
import type { TransitionContext } from "./transition.js";

const NOW = new Date("2030-01-01T12:00:00.000Z");

function state(type: StateType, extra: Partial<State> = {}): State {
  return {
    id: "00000000-0000-4000-8000-000000000001",
    type,
    name: DEFAULT_STATE_NAMES[type],
    timestamp: NOW.toISOString(),
    message: null,
    details: {},
    result: null,
    ...extra,
  };
}

function ctx(
  current: State | null,
  proposed: State,
  runCount: number,
  crashRetries: number,
): TransitionContext {
  return {
    current,
    proposed,
    run: { runCount, policy: { retries: 0, retryDelaySeconds: 0, crashRetries, retryBaseRunCount: 0 } },
    now: NOW,
  };
}

const crashed = state("CRASHED", { message: "no heartbeat for 95 s" });

describe("retry-crashed-runs", () => {
  it("schedules a crashed RUNNING run again at once while crash retries remain", () => {
    const decision = retryCrashedRuns(ctx(state("RUNNING"), crashed, 1, 2));
    expect(decision.kind).toBe("accept");
    if (decision.kind !== "accept") return;
    expect(decision.state).toMatchObject({
      type: "SCHEDULED",
      name: "AwaitingRetry",
      details: { scheduledTime: NOW.toISOString(), retryAttempt: 1 },
    });
    expect(decision.state?.message).toBe("rescheduled after a crash (retry 1 of 2): no heartbeat for 95 s");
  });

  it("lets the crash stand when the retries are used up or none are allowed", () => {
    expect(retryCrashedRuns(ctx(state("RUNNING"), crashed, 3, 2))).toEqual({ kind: "accept" });
    expect(retryCrashedRuns(ctx(state("RUNNING"), crashed, 1, 0))).toEqual({ kind: "accept" });
  });

  it("counts crash retries from the last retry by hand (policy.retryBaseRunCount)", () => {
    const context = ctx(state("RUNNING"), crashed, 3, 1);
    expect(retryCrashedRuns(context)).toEqual({ kind: "accept" });
    const retried = retryCrashedRuns({
      ...context,
      run: { ...context.run, policy: { ...context.run.policy, retryBaseRunCount: 2 } },
    });
    expect(retried).toMatchObject({
      kind: "accept",
      state: { name: "AwaitingRetry", details: { retryAttempt: 1 } },
    });
  });

  it("ignores crashes of runs that never ran and other proposals", () => {
    expect(retryCrashedRuns(ctx(state("PENDING"), crashed, 0, 3))).toEqual({ kind: "accept" });
    expect(retryCrashedRuns(ctx(state("RUNNING"), state("FAILED"), 1, 3))).toEqual({ kind: "accept" });
  });

  it("is part of the flow-run policy", () => {
    const outcome = decideFlowRunTransition(ctx(state("RUNNING"), crashed, 1, 1), false);
    expect(outcome).toMatchObject({ kind: "accept", state: { type: "SCHEDULED", name: "AwaitingRetry" } });
    const forced = decideFlowRunTransition(ctx(state("RUNNING"), crashed, 1, 1), true);
    expect(forced).toMatchObject({ kind: "accept", state: { type: "CRASHED" } });
  });
});
