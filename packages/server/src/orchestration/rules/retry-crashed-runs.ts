import { accept, acceptInstead, type OrchestrationRule } from "../transition.js";

/**
 * A RUNNING run that crashes (its process died, its worker saw a non-zero exit, or its heartbeats
 * stopped) while crash retries remain (runCount <= policy.crashRetries, counted like failure
 * retries) is scheduled again at once as AwaitingRetry; the message keeps the crash's reason.
 * Only RUNNING runs are retried: a run that crashed before it ever ran (a launch failure) would
 * crash again the same way, and its run count would never grow to end the retries.
 */
export const retryCrashedRuns: OrchestrationRule = ({ current, proposed, run, now }) => {
  if (current?.type !== "RUNNING" || proposed.type !== "CRASHED") return accept();
  const allowed = run.policy.crashRetries;
  if (allowed === 0 || run.runCount > allowed) return accept();
  const reason = proposed.message ?? "no reason given";
  return acceptInstead(
    {
      ...proposed,
      type: "SCHEDULED",
      name: "AwaitingRetry",
      message: `rescheduled after a crash (retry ${run.runCount} of ${allowed}): ${reason}`,
      details: { ...proposed.details, scheduledTime: now.toISOString(), retryAttempt: run.runCount },
    },
    `crash retry ${run.runCount} of ${allowed}`,
  );
};
