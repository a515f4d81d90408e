import { allowRetriesOfFinishedRuns } from "./rules/allow-retries-of-finished-runs.js";
import { bypassCancellingWithNoInfrastructure } from "./rules/bypass-cancelling-with-no-infrastructure.js";
import { copyScheduledTime } from "./rules/copy-scheduled-time.js";
import { enforceCancellingToCancelled } from "./rules/enforce-cancelling-to-cancelled.js";
import { handleTerminalStateTransitions } from "./rules/handle-terminal-state-transitions.js";
import { onlyScheduledRunsMarkedLate } from "./rules/only-scheduled-runs-marked-late.js";
import { preventDuplicateTransitions } from "./rules/prevent-duplicate-transitions.js";
import { preventPendingTransitions } from "./rules/prevent-pending-transitions.js";
import { retryCrashedRuns } from "./rules/retry-crashed-runs.js";
import { retryFailedFlows } from "./rules/retry-failed-flows.js";
import { waitForScheduledTime } from "./rules/wait-for-scheduled-time.js";
import {
  applyRules,
  type PolicyOutcome,
  type OrchestrationRule,
  type TransitionContext,
} from "./transition.js";

/** The rules every proposed flow-run state passes, in order (Prefect's CoreFlowPolicy). */
export const FLOW_RUN_RULES: readonly OrchestrationRule[] = [
  allowRetriesOfFinishedRuns,
  preventDuplicateTransitions,
  handleTerminalStateTransitions,
  enforceCancellingToCancelled,
  bypassCancellingWithNoInfrastructure,
  preventPendingTransitions,
  onlyScheduledRunsMarkedLate,
  copyScheduledTime,
  waitForScheduledTime,
  retryFailedFlows,
  retryCrashedRuns,
];

/** Decides a proposed flow-run transition; `force` accepts it without consulting the rules. */
export function decideFlowRunTransition(context: TransitionContext, force: boolean): PolicyOutcome {
  if (force) return { kind: "accept", state: context.proposed, reason: "forced" };
  return applyRules(FLOW_RUN_RULES, context);
}
