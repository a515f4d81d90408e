import { accept, wait, type OrchestrationRule } from "../transition.js";

/**
 * A run cannot start before its scheduled time: the caller waits the remaining time. This covers a
 * SCHEDULED run proposed PENDING or RUNNING, and a PENDING run a worker claimed ahead of time (its
 * prefetch window) proposed RUNNING: the PENDING state keeps the scheduled time, so the flow-run
 * process, started early, begins the flow on time rather than early.
 */
export const waitForScheduledTime: OrchestrationRule = ({ current, proposed, now }) => {
  const guarded =
    (current?.type === "SCHEDULED" && (proposed.type === "PENDING" || proposed.type === "RUNNING")) ||
    (current?.type === "PENDING" && proposed.type === "RUNNING");
  const scheduledTime = guarded ? current.details.scheduledTime : undefined;
  if (!scheduledTime) return accept();
  const remainingMs = Date.parse(scheduledTime) - now.getTime();
  if (remainingMs <= 0) return accept();
  // Milliseconds, not whole seconds: a prefetched run should start within a few ms of its time.
  const seconds = Math.ceil(remainingMs) / 1000;
  return wait(`the run is scheduled for ${scheduledTime}; propose again in ${seconds} s`, seconds);
};
