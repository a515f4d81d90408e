import { accept, reject, type OrchestrationRule } from "../transition.js";

/**
 * Rejects a proposal of the state type the run is already in, except SCHEDULED -> SCHEDULED
 * (rescheduling, marking Late). PENDING -> PENDING is a claim race, aborted by prevent-pending-transitions.
 */
export const preventDuplicateTransitions: OrchestrationRule = ({ current, proposed }) => {
  if (!current || current.type !== proposed.type) return accept();
  if (proposed.type === "SCHEDULED" || proposed.type === "PENDING") return accept();
  return reject(`the run is already ${current.type}`);
};
