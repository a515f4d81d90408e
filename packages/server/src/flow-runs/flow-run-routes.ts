import type { OpenAPIHono } from "@hono/zod-openapi";
import { routes } from "@sluice/contracts";
import { registerRoute } from "../http/route-def.js";
import type { FlowRunService } from "./flow-run-service.js";

/** Mounts the flow-run routes. Literal paths (filter, count) go before `{id}` paths. */
export function mountFlowRunRoutes(app: OpenAPIHono, flowRuns: FlowRunService): void {
  registerRoute(app, routes.createFlowRun, ({ body }) => flowRuns.create(body));
  registerRoute(app, routes.filterFlowRuns, ({ body }) => flowRuns.list(body));
  registerRoute(app, routes.countFlowRuns, ({ body }) => flowRuns.count(body));
  registerRoute(app, routes.countFlowRunsByState, ({ body }) => flowRuns.countByState(body));
  registerRoute(app, routes.readFlowRunHistory, ({ body }) => flowRuns.readHistory(body));
  registerRoute(app, routes.readFlowRun, ({ params }) => flowRuns.read(params.id));
  registerRoute(app, routes.deleteFlowRun, ({ params }) => flowRuns.delete(params.id));
  registerRoute(app, routes.setFlowRunState, ({ params, body }) => flowRuns.setState(params.id, body));
  registerRoute(app, routes.retryFlowRun, ({ params, body }) => flowRuns.retry(params.id, body));
  registerRoute(app, routes.readFlowRunStates, ({ params }) => flowRuns.readStates(params.id));
  registerRoute(app, routes.readFlowRunGraph, ({ params }) => flowRuns.readGraph(params.id));
  registerRoute(app, routes.heartbeatFlowRun, ({ params }) => flowRuns.heartbeat(params.id));
  registerRoute(app, routes.updateFlowRun, ({ params, body }) => flowRuns.update(params.id, body));
}
