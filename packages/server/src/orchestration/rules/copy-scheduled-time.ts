import { accept, acceptInstead, type OrchestrationRule } from "../transition.js";

/** Carries the scheduled time of a SCHEDULED run into its PENDING or RUNNING state. */
export const copyScheduledTime: OrchestrationRule = ({ current, proposed }) => {
  const scheduledTime = current?.type === "SCHEDULED" ? current.details.scheduledTime : undefined;
  if (!scheduledTime || proposed.details.scheduledTime !== undefined) return accept();
  if (proposed.type !== "PENDING" && proposed.type !== "RUNNING") return accept();
  return acceptInstead({ ...proposed, details: { ...proposed.details, scheduledTime } }, "");
};
