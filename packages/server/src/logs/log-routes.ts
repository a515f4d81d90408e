import type { OpenAPIHono } from "@hono/zod-openapi";
import { routes } from "@sluice/contracts";
import { registerRoute } from "../http/route-def.js";
import type { LogService } from "./log-service.js";

/** Mounts the log routes. */
export function mountLogRoutes(app: OpenAPIHono, logs: LogService): void {
  registerRoute(app, routes.createLogs, ({ body }) => logs.create(body));
  registerRoute(app, routes.filterLogs, ({ body }) => logs.list(body));
}
