import { accept, reject, type OrchestrationRule } from "../transition.js";

/** Only a SCHEDULED run can be marked Late (and Late is a SCHEDULED state). */
export const onlyScheduledRunsMarkedLate: OrchestrationRule = ({ current, proposed }) => {
  if (proposed.name !== "Late") return accept();
  if (proposed.type !== "SCHEDULED") return reject("Late is a SCHEDULED state");
  if (current?.type === "SCHEDULED") return accept();
  return reject(`only SCHEDULED runs can be marked Late; the run is ${current?.type ?? "new"}`);
};
