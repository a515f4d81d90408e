import { accept, acceptInstead, type OrchestrationRule } from "../transition.js";
import { attemptsSinceRetry } from "./attempts-since-retry.js";

/**
 * A RUNNING run that fails while retries remain (attempts since the last retry by hand, at first the
 * run count, <= policy.retries) is scheduled again as
 * AwaitingRetry, due after policy.retryDelaySeconds; the message keeps the failure.
 */
export const retryFailedFlows: OrchestrationRule = ({ current, proposed, run, now }) => {
  if (current?.type !== "RUNNING" || proposed.type !== "FAILED") return accept();
  const attempt = attemptsSinceRetry(run);
  if (attempt > run.policy.retries) return accept();
  const due = new Date(now.getTime() + run.policy.retryDelaySeconds * 1000);
  return acceptInstead(
    {
      ...proposed,
      type: "SCHEDULED",
      name: "AwaitingRetry",
      details: { ...proposed.details, scheduledTime: due.toISOString(), retryAttempt: attempt },
    },
    `retry ${attempt} of ${run.policy.retries} after a failure`,
  );
};
