/** Failed attempts from one client address that start a block. */
export const MAX_FAILURES = 10;
/** The window failures are counted in, and the block lasts until it ends, in ms. */
export const FAILURE_WINDOW_MS = 60_000;
/** Most addresses remembered; beyond it the oldest are forgotten (a bound on memory). */
const MAX_ADDRESSES = 10_000;

interface Window {
  start: number;
  failures: number;
}

/**
 * Counts failed authentication attempts per client address in fixed windows: after MAX_FAILURES
 * in one window the address is blocked until the window ends.
 */
export function createFailureLimiter(now: () => number) {
  const windows = new Map<string, Window>();

  const current = (address: string): Window | undefined => {
    const window = windows.get(address);
    if (window && now() - window.start >= FAILURE_WINDOW_MS) {
      windows.delete(address);
      return undefined;
    }
    return window;
  };

  const makeRoom = () => {
    if (windows.size < MAX_ADDRESSES) return;
    for (const [address, window] of windows) {
      if (now() - window.start >= FAILURE_WINDOW_MS) windows.delete(address);
    }
    // Still full of live windows (a flood from many addresses): forget the oldest.
    while (windows.size >= MAX_ADDRESSES) windows.delete(windows.keys().next().value ?? "");
  };

  return {
    /** Seconds until `address` may try again, or 0 when it is not blocked. */
    retryAfterSeconds(address: string): number {
      const window = current(address);
      if (!window || window.failures < MAX_FAILURES) return 0;
      return Math.max(1, Math.ceil((window.start + FAILURE_WINDOW_MS - now()) / 1000));
    },

    /** Counts a failure; true when it is the one that starts the block. */
    recordFailure(address: string): boolean {
      const window = current(address);
      if (window) {
        window.failures += 1;
        return window.failures === MAX_FAILURES;
      }
      makeRoom();
      windows.set(address, { start: now(), failures: 1 });
      return false;
    },

    /** How many addresses are remembered (for tests of the bound). */
    size: () => windows.size,
  };
}

/** A failure limiter. */
export type FailureLimiter = ReturnType<typeof createFailureLimiter>;
