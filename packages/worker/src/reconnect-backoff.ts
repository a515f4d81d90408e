/** Options of reconnectDelayMs. */
export interface BackoffOptions {
  /** The first delay in milliseconds (default 500). */
  baseMs?: number;
  /** The largest delay in milliseconds (default 30000). */
  maxMs?: number;
  /** A number in [0, 1) (default Math.random). */
  random?: () => number;
}

/**
 * The delay before reconnection attempt `attempt` (1-based): doubling from `baseMs`, capped at
 * `maxMs`, with "equal jitter" (half fixed, half random) so workers that lost the server together
 * do not all come back in the same millisecond.
 */
export function reconnectDelayMs(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const random = options.random ?? Math.random;
  const exponential = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return exponential / 2 + random() * (exponential / 2);
}
