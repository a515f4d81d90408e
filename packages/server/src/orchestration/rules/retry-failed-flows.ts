import { accept, acceptInstead, type OrchestrationRule } from "../transition.js";

/**
 * A RUNNING run that fails while retries remain (runCount <= policy.retries) is scheduled again as
 * AwaitingRetry, due after policy.retryDelaySeconds; the message keeps the failure.
 */
export const retryFailedFlows: OrchestrationRule = ({ current, proposed, run, now }) => {
  if (current?.type !== "RUNNING" || proposed.type !== "FAILED") return accept();
  if (run.runCount > run.policy.retries) return accept();
  const due = new Date(now.getTime() + run.policy.retryDelaySeconds * 1000);
  return acceptInstead(
    {
      ...proposed,
      type: "SCHEDULED",
      name: "AwaitingRetry",
      details: { ...proposed.details, scheduledTime: due.toISOString(), retryAttempt: run.runCount },
    },
    `retry ${run.runCount} of ${run.policy.retries} after a failure`,
  );
};
