import { DEFAULT_STATE_NAMES, type State, type StateType } from "@sluice/contracts";
import { describe, expect, it } from "vitest";
import { decideFlowRunTransition } from "./flow-run-policy.js";
import { bypassCancellingWithNoInfrastructure } from "./rules/bypass-cancelling-with-no-infrastructure.js";
import { copyScheduledTime } from "./rules/copy-scheduled-time.js";
import { enforceCancellingToCancelled } from "./rules/enforce-cancelling-to-cancelled.js";
import { handleTerminalStateTransitions } from "./rules/handle-terminal-state-transitions.js";
import { onlyScheduledRunsMarkedLate } from "./rules/only-scheduled-runs-marked-late.js";
import { preventDuplicateTransitions } from "./rules/prevent-duplicate-transitions.js";
import { preventPendingTransitions } from "./rules/prevent-pending-transitions.js";
import { retryFailedFlows } from "./rules/retry-failed-flows.js";
import { waitForScheduledTime } from "./rules/wait-for-scheduled-time.js";
import type { TransitionContext } from "./transition.js";

const NOW = new Date("2030-01-01T12:00:00.000Z");
let seq = 0;

function state(type: StateType, extra: Partial<State> = {}): State {
  seq += 1;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
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
  run = { runCount: 1, retries: 0, delay: 0 },
): TransitionContext {
  return {
    current,
    proposed,
    run: {
      runCount: run.runCount,
      policy: { retries: run.retries, retryDelaySeconds: run.delay, crashRetries: 0, retryBaseRunCount: 0 },
    },
    now: NOW,
  };
}

describe("prevent-duplicate-transitions", () => {
  it("rejects a proposal of the current type", () => {
    expect(preventDuplicateTransitions(ctx(state("RUNNING"), state("RUNNING")))).toEqual({
      kind: "reject",
      reason: "the run is already RUNNING",
    });
  });
  it("allows SCHEDULED -> SCHEDULED and other types", () => {
    expect(preventDuplicateTransitions(ctx(state("SCHEDULED"), state("SCHEDULED"))).kind).toBe("accept");
    expect(preventDuplicateTransitions(ctx(state("PENDING"), state("RUNNING"))).kind).toBe("accept");
    expect(preventDuplicateTransitions(ctx(null, state("RUNNING"))).kind).toBe("accept");
  });
});

describe("handle-terminal-state-transitions", () => {
  it.each(["COMPLETED", "FAILED", "CANCELLED", "CRASHED"] as const)(
    "rejects leaving %s except to SCHEDULED",
    (t) => {
      const decision = handleTerminalStateTransitions(ctx(state(t), state("RUNNING")));
      expect(decision.kind).toBe("reject");
      expect(decision.kind === "reject" && decision.reason).toContain(`already ${t}`);
      expect(handleTerminalStateTransitions(ctx(state(t), state("SCHEDULED"))).kind).toBe("accept");
    },
  );
  it("ignores non-terminal current states", () => {
    expect(handleTerminalStateTransitions(ctx(state("RUNNING"), state("COMPLETED"))).kind).toBe("accept");
  });
});

describe("enforce-cancelling-to-cancelled", () => {
  it("allows only CANCELLED after CANCELLING", () => {
    expect(enforceCancellingToCancelled(ctx(state("CANCELLING"), state("COMPLETED"))).kind).toBe("reject");
    expect(enforceCancellingToCancelled(ctx(state("CANCELLING"), state("CANCELLED"))).kind).toBe("accept");
    expect(enforceCancellingToCancelled(ctx(state("RUNNING"), state("COMPLETED"))).kind).toBe("accept");
  });
});

describe("bypass-cancelling-with-no-infrastructure", () => {
  it.each(["SCHEDULED", "PENDING", "PAUSED"] as const)("cancels a %s run at once", (t) => {
    const proposed = state("CANCELLING", { message: "user asked" });
    const decision = bypassCancellingWithNoInfrastructure(ctx(state(t), proposed));
    expect(decision.kind).toBe("accept");
    expect(decision.kind === "accept" && decision.state).toMatchObject({
      id: proposed.id,
      type: "CANCELLED",
      name: "Cancelled",
      message: "user asked",
    });
  });
  it("keeps CANCELLING for a RUNNING run", () => {
    expect(bypassCancellingWithNoInfrastructure(ctx(state("RUNNING"), state("CANCELLING")))).toEqual({
      kind: "accept",
    });
  });
});

describe("prevent-pending-transitions", () => {
  it.each(["PENDING", "RUNNING", "CANCELLING"] as const)("aborts PENDING while %s", (t) => {
    expect(preventPendingTransitions(ctx(state(t), state("PENDING"))).kind).toBe("abort");
  });
  it("allows SCHEDULED -> PENDING", () => {
    expect(preventPendingTransitions(ctx(state("SCHEDULED"), state("PENDING"))).kind).toBe("accept");
  });
});

describe("only-scheduled-runs-marked-late", () => {
  it("marks only SCHEDULED runs Late", () => {
    const late = () => state("SCHEDULED", { name: "Late" });
    expect(onlyScheduledRunsMarkedLate(ctx(state("SCHEDULED"), late())).kind).toBe("accept");
    expect(onlyScheduledRunsMarkedLate(ctx(state("RUNNING"), late())).kind).toBe("reject");
    expect(
      onlyScheduledRunsMarkedLate(ctx(state("SCHEDULED"), state("RUNNING", { name: "Late" }))).kind,
    ).toBe("reject");
  });
});

describe("copy-scheduled-time and wait-for-scheduled-time", () => {
  const future = new Date(NOW.getTime() + 90_500).toISOString();
  it("copies the scheduled time into PENDING", () => {
    const decision = copyScheduledTime(
      ctx(state("SCHEDULED", { details: { scheduledTime: future } }), state("PENDING")),
    );
    expect(decision.kind === "accept" && decision.state?.details.scheduledTime).toBe(future);
  });
  it("makes an early start wait the remaining seconds", () => {
    const decision = waitForScheduledTime(
      ctx(state("SCHEDULED", { details: { scheduledTime: future } }), state("RUNNING")),
    );
    expect(decision).toMatchObject({ kind: "wait", retryAfterSeconds: 90.5 });
  });
  it("makes a run a worker claimed ahead of time wait until it is due", () => {
    const decision = waitForScheduledTime(
      ctx(state("PENDING", { details: { scheduledTime: future } }), state("RUNNING")),
    );
    expect(decision).toMatchObject({ kind: "wait", retryAfterSeconds: 90.5 });
    const due = new Date(NOW.getTime() - 1).toISOString();
    expect(
      waitForScheduledTime(ctx(state("PENDING", { details: { scheduledTime: due } }), state("RUNNING"))).kind,
    ).toBe("accept");
  });
  it("lets a due run start", () => {
    const past = new Date(NOW.getTime() - 1000).toISOString();
    expect(
      waitForScheduledTime(ctx(state("SCHEDULED", { details: { scheduledTime: past } }), state("PENDING")))
        .kind,
    ).toBe("accept");
  });
});

describe("retry-failed-flows", () => {
  it("turns a failure into AwaitingRetry while retries remain", () => {
    const failed = state("FAILED", { message: "boom" });
    const decision = retryFailedFlows(ctx(state("RUNNING"), failed, { runCount: 2, retries: 2, delay: 30 }));
    expect(decision.kind === "accept" && decision.state).toMatchObject({
      type: "SCHEDULED",
      name: "AwaitingRetry",
      message: "boom",
      details: { scheduledTime: "2030-01-01T12:00:30.000Z", retryAttempt: 2 },
    });
  });
  it("lets the failure stand when retries are used up", () => {
    expect(
      retryFailedFlows(ctx(state("RUNNING"), state("FAILED"), { runCount: 3, retries: 2, delay: 0 })),
    ).toEqual({
      kind: "accept",
    });
  });
});

describe("flow-run policy", () => {
  it("runs rules in order, feeding replacements forward", () => {
    const outcome = decideFlowRunTransition(ctx(state("PENDING"), state("CANCELLING")), false);
    expect(outcome).toMatchObject({ kind: "accept", state: { type: "CANCELLED" } });
  });
  it("aborts a PENDING race rather than rejecting it as a duplicate", () => {
    expect(decideFlowRunTransition(ctx(state("PENDING"), state("PENDING")), false).kind).toBe("abort");
  });
  it("skips every rule when forced", () => {
    const proposed = state("RUNNING");
    expect(decideFlowRunTransition(ctx(state("COMPLETED"), proposed), true)).toEqual({
      kind: "accept",
      state: proposed,
      reason: "forced",
    });
  });
});
