import type { OpenAPIHono } from "@hono/zod-openapi";
import { routes } from "@sluice/contracts";
import { registerRoute } from "../http/route-def.js";
import type { VariableService } from "./variable-service.js";

/** Mounts the variable routes; the literal /filter path goes before /{name}. */
export function mountVariableRoutes(app: OpenAPIHono, variables: VariableService): void {
  registerRoute(app, routes.filterVariables, ({ body }) => variables.list(body));
  registerRoute(app, routes.setVariable, ({ params, body }) => variables.set(params.name, body));
  registerRoute(app, routes.readVariable, ({ params }) => variables.read(params.name));
  registerRoute(app, routes.deleteVariable, ({ params }) => variables.delete(params.name));
}
