import { accept, wait, type OrchestrationRule } from "../transition.js";

/** A SCHEDULED run cannot start before its scheduled time: the caller waits the remaining seconds. */
export const waitForScheduledTime: OrchestrationRule = ({ current, proposed, now }) => {
  if (current?.type !== "SCHEDULED" || (proposed.type !== "PENDING" && proposed.type !== "RUNNING")) {
    return accept();
  }
  const scheduledTime = current.details.scheduledTime;
  if (!scheduledTime) return accept();
  const remainingMs = Date.parse(scheduledTime) - now.getTime();
  if (remainingMs <= 0) return accept();
  const seconds = Math.ceil(remainingMs / 1000);
  return wait(`the run is scheduled for ${scheduledTime}; propose again in ${seconds} s`, seconds);
};
