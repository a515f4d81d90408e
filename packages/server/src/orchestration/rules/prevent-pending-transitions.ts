import { abort, accept, type OrchestrationRule } from "../transition.js";

const CLAIMED = new Set(["PENDING", "RUNNING", "CANCELLING"]);

/** PENDING while already PENDING, RUNNING or CANCELLING means two claimers raced: the later one stops. */
export const preventPendingTransitions: OrchestrationRule = ({ current, proposed }) => {
  if (proposed.type !== "PENDING" || !current || !CLAIMED.has(current.type)) return accept();
  return abort(`the run is already ${current.type}; another process claimed it`);
};
