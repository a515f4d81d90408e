/** Seconds before a retry: one number for all, a list indexed by retry (the last repeats), or a function of the attempt. */
export type RetryDelaySeconds = number | readonly number[] | ((attempt: number) => number);

/** Decides whether a failure is retried: gets the error and the attempt that failed (1-based). */
export type RetryCondition = (error: unknown, attempt: number) => boolean | Promise<boolean>;

/** Prefect's helper: delays of `factor * 2 ** n` seconds for retry n = 0, 1, 2, ... (up to 50). */
export function exponentialBackoff(factor: number): number[] {
  return Array.from({ length: 50 }, (_, n) => factor * 2 ** n);
}

/** The delay in seconds before retry number `retry` (1-based), before jitter. */
export function retryDelayFor(delay: RetryDelaySeconds | undefined, retry: number): number {
  if (delay === undefined) return 0;
  if (typeof delay === "number") return delay;
  if (typeof delay === "function") return Math.max(0, delay(retry));
  if (delay.length === 0) return 0;
  return delay[Math.min(retry - 1, delay.length - 1)] ?? 0;
}

/**
 * Spreads a delay over [delay, delay * (1 + factor)] so retries of many tasks do not land together.
 * Prefect draws from a clamped Poisson interval with the same upper bound; a uniform draw is enough here.
 */
export function applyJitter(delaySeconds: number, factor: number | undefined, random = Math.random): number {
  if (!factor || factor <= 0 || delaySeconds <= 0) return delaySeconds;
  return delaySeconds * (1 + random() * factor);
}

/** Sleeps for `ms`, ending early (rejecting with the signal's reason) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
