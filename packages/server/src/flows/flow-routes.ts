import type { OpenAPIHono } from "@hono/zod-openapi";
import { routes } from "@sluice/contracts";
import { registerRoute } from "../http/route-def.js";
import type { FlowService } from "./flow-service.js";

/** Mounts the flow routes. */
export function mountFlowRoutes(app: OpenAPIHono, flows: FlowService): void {
  registerRoute(app, routes.createFlow, ({ body }) => flows.register(body));
  registerRoute(app, routes.readFlow, ({ params }) => flows.read(params.id));
  registerRoute(app, routes.filterFlows, ({ body }) => flows.list(body));
}
