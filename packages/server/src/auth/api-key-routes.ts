import type { OpenAPIHono } from "@hono/zod-openapi";
import { routes } from "@sluice/contracts";
import { registerRoute } from "../http/route-def.js";
import type { ApiKeyService } from "./api-key-service.js";

/** Mounts the API key routes (the auth middleware requires the admin scope for them). */
export function mountApiKeyRoutes(app: OpenAPIHono, apiKeys: ApiKeyService): void {
  registerRoute(app, routes.createApiKey, ({ body }) => apiKeys.create(body));
  registerRoute(app, routes.listApiKeys, () => apiKeys.list());
  registerRoute(app, routes.deleteApiKey, ({ params }) => apiKeys.delete(params.id));
}
