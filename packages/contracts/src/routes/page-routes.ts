/**
 * The server's HTML pages, which clients link to (the API routes are in api-routes.ts): pages of the
 * web UI (packages/ui), which the server serves.
 */

/** The page of one flow run: its state history, task runs and logs. */
export const FLOW_RUN_PAGE_PATH = "/runs/{id}";

/** The link to a flow run's page on the server at `serverUrl` (for example http://127.0.0.1:4200). */
export function flowRunPageUrl(serverUrl: string, flowRunId: string): string {
  return serverUrl.replace(/\/+$/, "") + FLOW_RUN_PAGE_PATH.replace("{id}", encodeURIComponent(flowRunId));
}
