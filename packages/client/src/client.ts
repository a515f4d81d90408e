import {
  ApiError,
  routes,
  type RouteDef,
  type RouteInput,
  type RouteName,
  type RouteOutput,
  type Routes,
} from "@sluice/contracts";
import { checkAnswer } from "./check-response.js";
import { SluiceApiError, SluiceConnectionError, SluiceResponseError } from "./errors.js";
import { buildRouteRequest, type AnyRouteInput } from "./route-request.js";
import {
  backoffDelayMs,
  isConnectionFailure,
  isRetryableFetchError,
  isRetryableStatus,
  parseRetryAfterMs,
} from "./retry-policy.js";

/** Options of `createClient`. */
export interface ClientOptions {
  /**
   * Server root, for example "http://127.0.0.1:4200" (a trailing slash or "/api" is tolerated), or
   * several replicas' roots separated by commas: requests go to one until a connection to it fails
   * (refused, reset), then to the next, in turn.
   */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>` (default: none). */
  apiKey?: string | undefined;
  /** Retries after connection errors, timeouts, 429, 502, 503 and 504 (default 5). 4xx is never retried. */
  retries?: number | undefined;
  /** Per-attempt timeout in milliseconds (default 30000). */
  timeoutMs?: number | undefined;
  /** First backoff delay in milliseconds, doubled each retry (default 100). */
  retryBaseDelayMs?: number | undefined;
  /** Largest backoff delay in milliseconds (default 10000). */
  retryMaxDelayMs?: number | undefined;
  /** The fetch implementation (default: the global fetch, which keeps connections alive). */
  fetch?: typeof fetch | undefined;
}

/** Arguments of `call(name, input)`: the input may be left out when the route needs none. */
export type CallArgs<N extends RouteName> =
  Record<string, never> extends RouteInput<Routes[N]>
    ? [input?: RouteInput<Routes[N]>]
    : [input: RouteInput<Routes[N]>];

/** Calls any route by name, typed from the contracts. */
export type CallRoute = <N extends RouteName>(
  name: N,
  ...args: CallArgs<N>
) => Promise<RouteOutput<Routes[N]>>;

/** The low-level transport: `call` plus the resolved base URL. */
export interface Transport {
  /** The normalised server root, or roots separated by commas (as given, for child processes). */
  readonly baseUrl: string;
  readonly call: CallRoute;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Normalises a base URL: no trailing slash and no trailing "/api" (route paths start with /api). A
 * comma-separated list is normalised URL by URL.
 */
export function normaliseBaseUrl(baseUrl: string): string {
  return parseBaseUrls(baseUrl).join(",");
}

/** The server roots of a base URL that may list several, separated by commas, each normalised. */
export function parseBaseUrls(baseUrl: string): string[] {
  return baseUrl
    .split(",")
    .map((one) => {
      let url = one.trim().replace(/\/+$/, "");
      if (url.endsWith("/api")) url = url.slice(0, -4);
      return url;
    })
    .filter((url) => url !== "");
}

/** Creates the transport that sends a route's request, retries safely and parses the response. */
export function createTransport(options: ClientOptions): Transport {
  const urls = parseBaseUrls(options.baseUrl);
  if (urls.length === 0) throw new Error(`no server URL in baseUrl "${options.baseUrl}"`);
  const baseUrl = urls.join(",");
  // The replica requests go to; moves on when a connection to it fails (shared by all calls).
  let current = 0;
  const retries = options.retries ?? 5;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const baseDelayMs = options.retryBaseDelayMs ?? 100;
  const maxDelayMs = options.retryMaxDelayMs ?? 10_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  const bodyHeaders = { ...headers, "content-type": "application/json" };

  async function send(route: RouteDef, input: AnyRouteInput | undefined): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const target = current;
      const request = buildRouteRequest(urls[target]!, route, input);
      let response: Response;
      try {
        response = await doFetch(request.url, {
          method: request.method,
          headers: request.body === undefined ? headers : bodyHeaders,
          body: request.body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        // This replica is down: this retry, and later calls, go to the next one (unless another
        // call moved on already). A timeout is no sign of that: the replica may just be busy.
        if (isConnectionFailure(error) && current === target) current = (target + 1) % urls.length;
        if (attempt < retries && isRetryableFetchError(error)) {
          await sleep(backoffDelayMs(attempt + 1, baseDelayMs, maxDelayMs));
          continue;
        }
        throw new SluiceConnectionError(
          `${route.operationId}: cannot reach the Sluice API at ${urls[target]} (${describe(error)})`,
          route.operationId,
          { cause: error },
        );
      }
      if (response.ok) return parseSuccess(route, response);
      if (attempt < retries && isRetryableStatus(response.status)) {
        await response.body?.cancel();
        const retryAfter = parseRetryAfterMs(response.headers.get("retry-after"));
        const backoff = backoffDelayMs(attempt + 1, baseDelayMs, maxDelayMs);
        await sleep(retryAfter === undefined ? backoff : Math.min(Math.max(retryAfter, backoff), maxDelayMs));
        continue;
      }
      throw await toApiError(route, response);
    }
  }

  const call = ((name: RouteName, input?: AnyRouteInput) =>
    send(routes[name], input)) as unknown as CallRoute;
  return { baseUrl, call };
}

async function parseSuccess(route: RouteDef, response: Response): Promise<unknown> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? {} : JSON.parse(text);
  } catch (error) {
    throw new SluiceResponseError(`${route.operationId}: response is not JSON`, route.operationId, {
      cause: error,
    });
  }
  // Large answers are checked in later tasks and in pieces (see checkAnswer), so a page can draw frames
  // between reading a 3 MB answer and checking it.
  const parsed = await checkAnswer(route.response, json, text.length);
  if (!parsed.success) {
    throw new SluiceResponseError(
      `${route.operationId}: response does not match the contract: ${parsed.error.message}`,
      route.operationId,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

async function toApiError(route: RouteDef, response: Response): Promise<SluiceApiError> {
  const text = await response.text().catch(() => "");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const parsed = ApiError.safeParse(body);
  if (parsed.success) {
    const { code, message, details } = parsed.data;
    return new SluiceApiError(response.status, code, message, details, route.operationId);
  }
  const code =
    response.status === 404 ? "not_found" : response.status === 409 ? "conflict" : "internal_error";
  const message = `${route.operationId}: HTTP ${response.status} ${response.statusText}${text ? `: ${text.slice(0, 500)}` : ""}`;
  return new SluiceApiError(response.status, code, message, undefined, route.operationId);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
