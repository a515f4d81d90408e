/**
 * @sluice/client: a typed HTTP client for the Sluice API, built on @sluice/contracts.
 * Requests are built and responses parsed from the routes declared as data; error bodies become
 * `SluiceApiError` (branch on `code`); connection errors and 429/502/503/504 are retried with backoff.
 *
 * @example
 * import { createClient, SluiceApiError } from "@sluice/client";
 * const client = createClient({ baseUrl: "http://127.0.0.1:4200" });
 * try {
 *   const run = await client.call("readFlowRun", { params: { id } });
 * } catch (error) {
 *   if (error instanceof SluiceApiError && error.code === "flow_run_not_found") console.log("gone");
 * }
 */
export { createClient, type SluiceClient } from "./sluice-client.js";
export {
  createTransport,
  normaliseBaseUrl,
  parseBaseUrls,
  type CallArgs,
  type CallRoute,
  type ClientOptions,
  type Transport,
} from "./client.js";
export { yieldToEventLoop } from "./check-response.js";
export { SluiceApiError, SluiceClientError, SluiceConnectionError, SluiceResponseError } from "./errors.js";
