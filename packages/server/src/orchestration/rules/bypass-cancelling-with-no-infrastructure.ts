import { acceptInstead, accept, type OrchestrationRule } from "../transition.js";

const WITHOUT_INFRASTRUCTURE = new Set(["SCHEDULED", "PENDING", "PAUSED"]);

/** A run with no infrastructure to tear down (SCHEDULED, PENDING, PAUSED) is cancelled at once. */
export const bypassCancellingWithNoInfrastructure: OrchestrationRule = ({ current, proposed }) => {
  if (proposed.type !== "CANCELLING" || !current || !WITHOUT_INFRASTRUCTURE.has(current.type))
    return accept();
  return acceptInstead(
    { ...proposed, type: "CANCELLED", name: "Cancelled" },
    `the run was ${current.type} with no infrastructure to stop, so it is cancelled at once`,
  );
};
