/** Statuses that mean "try again later": rate limited or a proxy/server that is briefly unavailable. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** Error codes of connection failures that are safe to retry (every write is idempotent). */
const RETRYABLE_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
]);

/** True when an HTTP status is worth retrying. 4xx other than 429 never is. */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/** True when a fetch failure is a connection-level error (refused, reset, DNS, timeout). */
export function isRetryableFetchError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "TimeoutError") return true;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && RETRYABLE_ERROR_CODES.has(code)) return true;
    current = current.cause;
  }
  // undici reports network failures as a bare TypeError("fetch failed").
  return error instanceof TypeError && error.message === "fetch failed";
}

/**
 * True when a fetch failure means the server is not there (refused, reset, unknown host), so a
 * client given several replicas moves to the next; a timeout is not one (the server may be busy).
 */
export function isConnectionFailure(error: unknown): boolean {
  return error instanceof Error && error.name !== "TimeoutError" && isRetryableFetchError(error);
}

/**
 * Delay before retry number `attempt` (1-based): exponential from `baseMs`, capped at `maxMs`,
 * with "equal jitter" (half fixed, half random) so clients that failed together spread out.
 */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return exponential / 2 + random() * (exponential / 2);
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
