import type { OpenAPIHono } from "@hono/zod-openapi";
import { routes } from "@sluice/contracts";
import { registerRoute } from "../http/route-def.js";
import type { ArtifactService } from "./artifact-service.js";

/** Mounts the artifact routes. */
export function mountArtifactRoutes(app: OpenAPIHono, artifacts: ArtifactService): void {
  registerRoute(app, routes.createArtifact, ({ body }) => artifacts.create(body));
  registerRoute(app, routes.filterArtifacts, ({ body }) => artifacts.list(body));
  registerRoute(app, routes.filterArtifactKeys, ({ body }) => artifacts.listLatestByKey(body));
  registerRoute(app, routes.readLatestArtifact, ({ params }) => artifacts.readLatest(params.key));
  registerRoute(app, routes.readArtifact, ({ params }) => artifacts.read(params.id));
  registerRoute(app, routes.updateArtifact, ({ params, body }) => artifacts.update(params.id, body));
}
