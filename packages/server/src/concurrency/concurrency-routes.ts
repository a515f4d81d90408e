import type { OpenAPIHono } from "@hono/zod-openapi";
import { routes } from "@sluice/contracts";
import { registerRoute } from "../http/route-def.js";
import type { ConcurrencyService } from "./concurrency-service.js";

/** Mounts the concurrency overview route. */
export function mountConcurrencyRoutes(app: OpenAPIHono, concurrency: ConcurrencyService): void {
  registerRoute(app, routes.readConcurrency, ({ query }) => concurrency.read(query));
}
