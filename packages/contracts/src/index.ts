/**
 * @sluice/contracts: the single source of truth for Sluice's wire format.
 * zod schemas for domain objects, states, error codes and every API route. No I/O.
 *
 * @example
 * import { routes, FlowRun } from "@sluice/contracts";
 * const run = FlowRun.parse(await (await fetch(url + routes.readFlowRun.path.replace("{id}", id))).json());
 */
export * from "./api-keys.js";
export * from "./artifacts.js";
export * from "./base-job-templates.js";
export * from "./blocks.js";
export * from "./built-in-block-types.js";
export * from "./common.js";
export * from "./concurrency.js";
export * from "./deployments.js";
export * from "./errors.js";
export * from "./flow-runs.js";
export * from "./flows.js";
export * from "./limits.js";
export * from "./logs.js";
export * from "./meta.js";
export * from "./results.js";
export * from "./run-activity.js";
export * from "./schedules.js";
export * from "./states.js";
export * from "./task-runs.js";
export * from "./variables.js";
export * from "./work-pools.js";
export {
  defineRoute,
  type HttpMethod,
  type RouteDef,
  type RouteInput,
  type RouteOutput,
} from "./routes/define-route.js";
export { routes, type RouteName, type Routes } from "./routes/api-routes.js";
export { FLOW_RUN_PAGE_PATH, flowRunPageUrl } from "./routes/page-routes.js";
