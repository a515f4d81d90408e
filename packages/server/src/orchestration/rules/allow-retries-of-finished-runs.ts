import { accept, reject, type OrchestrationRule } from "../transition.js";

const RETRYABLE = {
  all: ["FAILED", "CRASHED", "CANCELLED", "COMPLETED"],
  "from-failed": ["FAILED", "CRASHED", "CANCELLED"],
} as const;

/**
 * A retry asked for by hand (a SCHEDULED proposal carrying `retryMode`) only follows a finished run:
 * FAILED, CRASHED or CANCELLED, and for mode "all" also COMPLETED (a re-run). A run still going, or
 * already scheduled again, is refused naming its state, so two clicks never schedule it twice.
 */
export const allowRetriesOfFinishedRuns: OrchestrationRule = ({ current, proposed }) => {
  const mode = proposed.details.retryMode;
  if (proposed.type !== "SCHEDULED" || mode === undefined) return accept();
  const allowed: readonly string[] = RETRYABLE[mode];
  if (current && allowed.includes(current.type)) return accept();
  const named = current && current.name.toUpperCase() !== current.type ? ` (${current.name})` : "";
  const now = current ? `${current.type}${named}` : "without a state";
  return reject(
    `cannot retry (${mode}): the run is ${now}; only a ${allowed.slice(0, -1).join(", ")} or ${allowed.at(-1) ?? ""} run can be retried`,
  );
};
