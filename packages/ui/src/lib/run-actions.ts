import type { FlowRun } from "@sluice/contracts";

/** Why an action cannot be taken now, or null when it can. */
export type Availability = string | null;

/** Which run actions are possible for a run, each with the reason when it is not. */
export interface RunActionAvailability {
  readonly cancel: Availability;
  readonly retry: Availability;
  readonly retryFromFailed: Availability;
}

const CANCELLABLE = new Set(["SCHEDULED", "PENDING", "RUNNING", "PAUSED"]);
const RETRYABLE = new Set(["FAILED", "CRASHED", "CANCELLED", "COMPLETED"]);
const RETRYABLE_FROM_FAILED = new Set(["FAILED", "CRASHED"]);

/**
 * What the run page's buttons may do, mirroring the server's rules (which decide in the end):
 * cancel a run that has not finished; retry a finished deployment run (nothing else would pick it
 * up again); retry from the failed task a FAILED or CRASHED one with a completed task whose result
 * was persisted, so there is something to reuse. `hasReusableTaskRuns` is undefined while loading.
 */
export function runActionAvailability(
  run: Pick<FlowRun, "stateType" | "deploymentId">,
  hasReusableTaskRuns: boolean | undefined,
): RunActionAvailability {
  const state = run.stateType ?? "UNKNOWN";
  const cancel =
    state === "CANCELLING"
      ? "Cancellation was asked for; waiting for the run's process to stop"
      : CANCELLABLE.has(state)
        ? null
        : `The run is ${state}: there is nothing to cancel`;
  const notDeployment =
    run.deploymentId === null
      ? "Only a deployment's run can be retried: no worker would pick this one up"
      : null;
  const retry = !RETRYABLE.has(state)
    ? `Only a finished run can be retried; this one is ${state}`
    : notDeployment;
  let retryFromFailed: Availability;
  if (!RETRYABLE_FROM_FAILED.has(state))
    retryFromFailed = "Only a FAILED or CRASHED run can be retried from its failed task";
  else if (notDeployment) retryFromFailed = notDeployment;
  else if (hasReusableTaskRuns === undefined) retryFromFailed = "Looking for completed task runs…";
  else if (!hasReusableTaskRuns) {
    retryFromFailed =
      "No task run completed with a persisted result (persistResult: true) to reuse; use Retry to run every task again";
  } else retryFromFailed = null;
  return { cancel, retry, retryFromFailed };
}
