import type { FieldIssue } from "@sluice/contracts";

/** Flow parameters failed the flow's schema; no flow run was created. */
export class ParameterValidationError extends Error {
  override readonly name = "ParameterValidationError";
  constructor(
    readonly flowName: string,
    /** Each failing field: its dotted path and what is wrong. */
    readonly issues: readonly FieldIssue[],
  ) {
    super(
      `Invalid parameters for flow '${flowName}': ` +
        issues.map((issue) => `${issue.path || "(root)"}: ${issue.message}`).join("; "),
    );
  }
}

/** A flow or task run exceeded its `timeoutSeconds`; the run ends FAILED named TimedOut. */
export class TimedOutError extends Error {
  override readonly name = "TimedOutError";
  constructor(
    readonly kind: "Flow" | "Task",
    readonly timeoutSeconds: number,
  ) {
    super(`${kind} run exceeded timeout of ${timeoutSeconds} second(s)`);
  }
}

/** The flow run was cancelled (CANCELLING noticed by heartbeat, or Ctrl-C). */
export class CancelledError extends Error {
  override readonly name = "CancelledError";
  constructor(message = "The flow run was cancelled") {
    super(message);
  }
}

/** The process received SIGINT or SIGTERM while the run was active. */
export class InterruptedError extends Error {
  override readonly name = "InterruptedError";
  constructor(readonly signal: "SIGINT" | "SIGTERM") {
    super(`The process received ${signal}`);
  }
}

/** The server rejected a proposed state (HTTP 409), for example an invalid transition. */
export class StateRejectedError extends Error {
  override readonly name = "StateRejectedError";
  constructor(
    readonly flowRunId: string,
    readonly proposedType: string,
    readonly code: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `The server rejected moving flow run ${flowRunId} to ${proposedType} (${code}): ${reason}`,
      options,
    );
  }
}
