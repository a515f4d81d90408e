import type { OpenAPIHono } from "@hono/zod-openapi";
import { routes } from "@sluice/contracts";
import { registerRoute } from "../http/route-def.js";
import type { DeploymentService } from "./deployment-service.js";

/** Mounts the deployment routes. Literal paths (filter, name/...) go before `{id}` paths. */
export function mountDeploymentRoutes(app: OpenAPIHono, deployments: DeploymentService): void {
  registerRoute(app, routes.upsertDeployment, ({ body }) => deployments.upsert(body));
  registerRoute(app, routes.filterDeployments, ({ body }) => deployments.list(body));
  registerRoute(app, routes.readDeploymentByName, ({ params }) =>
    deployments.readByName(params.flowName, params.name),
  );
  registerRoute(app, routes.readDeployment, ({ params }) => deployments.read(params.id));
  registerRoute(app, routes.updateDeployment, ({ params, body }) => deployments.update(params.id, body));
  registerRoute(app, routes.deleteDeployment, ({ params }) => deployments.delete(params.id));
  registerRoute(app, routes.createDeploymentFlowRun, ({ params, body }) =>
    deployments.createRun(params.id, body),
  );
}
