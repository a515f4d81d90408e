import { isTerminalStateType } from "@sluice/contracts";
import { accept, reject, type OrchestrationRule } from "../transition.js";

/** A finished run may only be scheduled again (a re-run); anything else is rejected. */
export const handleTerminalStateTransitions: OrchestrationRule = ({ current, proposed }) => {
  if (!current || !isTerminalStateType(current.type) || proposed.type === "SCHEDULED") return accept();
  return reject(`the run is already ${current.type}; only SCHEDULED (a re-run) may follow a terminal state`);
};
