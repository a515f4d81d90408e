import { accept, reject, type OrchestrationRule } from "../transition.js";

/** A run being cancelled can only become CANCELLED. */
export const enforceCancellingToCancelled: OrchestrationRule = ({ current, proposed }) => {
  if (current?.type !== "CANCELLING" || proposed.type === "CANCELLED") return accept();
  return reject(`the run is CANCELLING; it can only become CANCELLED, not ${proposed.type}`);
};
