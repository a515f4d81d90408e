import { TimedOutError } from "../errors.js";
import type { State, StateDetails } from "@sluice/contracts";
import { makeState, type StateClock } from "./recorder.js";

/** The reason a signal was aborted, as an Error. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason));
}

/** Rejects with the signal's reason as soon as it aborts; otherwise settles like `promise`. */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        // The function's own rejection value passes through unchanged, Error or not.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        reject(error);
      },
    );
  });
}

/**
 * Runs one attempt with an optional timeout. With a timeout, the attempt gets its own signal
 * (aborted by the parent or by the timer with a TimedOutError) and the engine stops waiting at once.
 */
export async function runAttempt<T>(
  kind: "Flow" | "Task",
  timeoutSeconds: number | undefined,
  parentSignal: AbortSignal,
  body: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (timeoutSeconds === undefined) return body(parentSignal);
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parentSignal.reason);
  if (parentSignal.aborted) onParentAbort();
  else parentSignal.addEventListener("abort", onParentAbort, { once: true });
  const timer = setTimeout(
    () => controller.abort(new TimedOutError(kind, timeoutSeconds)),
    timeoutSeconds * 1000,
  );
  try {
    return await raceSignal(body(controller.signal), controller.signal);
  } finally {
    clearTimeout(timer);
    parentSignal.removeEventListener("abort", onParentAbort);
  }
}

/** The FAILED state for an error: named TimedOut for timeouts, with the error's name and stack. */
export function failedState(error: unknown, runCount: number, clock?: StateClock): State {
  const details: StateDetails = { runCount };
  if (error instanceof Error) {
    details.errorName = error.name.slice(0, 200);
    if (error.stack) details.errorStack = error.stack.slice(0, 20_000);
  }
  if (error instanceof TimedOutError) details.timeoutSeconds = error.timeoutSeconds;
  const message = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(
    0,
    10_000,
  );
  return makeState(error instanceof TimedOutError ? "TimedOut" : "Failed", { message, details }, clock);
}
