import type { TransitionContext } from "../transition.js";

/**
 * Attempts since the run was last retried by hand: what `retries` and `crashRetries` are counted
 * against, so a run retried by hand gets its automatic retries afresh while its run count keeps
 * counting every attempt.
 */
export function attemptsSinceRetry(run: TransitionContext["run"]): number {
  return run.runCount - run.policy.retryBaseRunCount;
}
