import { accept, acceptInstead, type OrchestrationRule } from "../transition.js";
import { attemptsSinceRetry } from "./attempts-since-retry.js";

/**
 * A RUNNING run that crashes (its process died, its worker saw a non-zero exit, or its heartbeats
 * stopped) while crash retries remain (attempts since the last retry by hand <= policy.crashRetries,
 * counted like failure retries) is scheduled again at once as AwaitingRetry; the message keeps the crash's reason.
 * Only RUNNING runs are retried: a run that crashed before it ever ran (a launch failure) would
 * crash again the same way, and its run count would never grow to end the retries.
 */
export const retryCrashedRuns: OrchestrationRule = ({ current, proposed, run, now }) => {
  if (current?.type !== "RUNNING" || proposed.type !== "CRASHED") return accept();
  const allowed = run.policy.crashRetries;
  const attempt = attemptsSinceRetry(run);
  if (allowed === 0 || attempt > allowed) return accept();
  const reason = proposed.message ?? "no reason given";
  return acceptInstead(
    {
      ...proposed,
      type: "SCHEDULED",
      name: "AwaitingRetry",
      message: `rescheduled after a crash (retry ${attempt} of ${allowed}): ${reason}`,
      details: { ...proposed.details, scheduledTime: now.toISOString(), retryAttempt: attempt },
    },
    `crash retry ${attempt} of ${allowed}`,
  );
};
