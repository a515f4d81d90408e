import type { SluiceClient } from "@sluice/client";

/**
 * Heartbeats a flow run every `intervalSeconds`. The server answers with the run; when its state has
 * become CANCELLING, `onCancelling` is called (once). Returns a function that stops the heartbeat.
 */
export function startHeartbeat(
  client: SluiceClient,
  flowRunId: string,
  intervalSeconds: number,
  onCancelling: () => void,
): () => void {
  let stopped = false;
  let inFlight = false;
  const timer = setInterval(() => {
    if (inFlight || stopped) return;
    inFlight = true;
    client
      .heartbeatFlowRun(flowRunId)
      .then((run) => {
        if (!stopped && run.stateType === "CANCELLING") {
          stopped = true;
          onCancelling();
        }
      })
      // A missed heartbeat is harmless; the next one tries again.
      .catch(() => undefined)
      .finally(() => {
        inFlight = false;
      });
  }, intervalSeconds * 1000);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
