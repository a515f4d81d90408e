import type { OpenAPIHono } from "@hono/zod-openapi";
import { routes } from "@sluice/contracts";
import { registerRoute } from "../http/route-def.js";
import type { ClaimService } from "./claim-service.js";
import type { WorkPoolService } from "./work-pool-service.js";

/** Mounts the work-pool, work-queue, worker and claim routes. Literal paths (filter) go before `{pool}`. */
export function mountWorkPoolRoutes(app: OpenAPIHono, pools: WorkPoolService, claims: ClaimService): void {
  registerRoute(app, routes.createWorkPool, ({ body }) => pools.createPool(body));
  registerRoute(app, routes.filterWorkPools, ({ body }) => pools.listPools(body));
  registerRoute(app, routes.readDefaultBaseJobTemplate, ({ params }) =>
    pools.readDefaultTemplate(params.type),
  );
  registerRoute(app, routes.readWorkPool, ({ params }) => pools.readPool(params.pool));
  registerRoute(app, routes.updateWorkPool, ({ params, body }) => pools.updatePool(params.pool, body));
  registerRoute(app, routes.deleteWorkPool, ({ params }) => pools.deletePool(params.pool));
  registerRoute(app, routes.createWorkQueue, ({ params, body }) => pools.createQueue(params.pool, body));
  registerRoute(app, routes.listWorkQueues, ({ params }) => pools.listQueues(params.pool));
  registerRoute(app, routes.readWorkQueue, ({ params }) => pools.readQueue(params.pool, params.queue));
  registerRoute(app, routes.updateWorkQueue, ({ params, body }) =>
    pools.updateQueue(params.pool, params.queue, body),
  );
  registerRoute(app, routes.deleteWorkQueue, ({ params }) => pools.deleteQueue(params.pool, params.queue));
  registerRoute(app, routes.workerHeartbeat, ({ params, body }) => pools.heartbeat(params.pool, body));
  registerRoute(app, routes.listWorkers, ({ params }) => pools.listWorkers(params.pool));
  registerRoute(app, routes.filterWorkers, ({ body }) => pools.filterWorkers(body));
  registerRoute(app, routes.claimFlowRuns, ({ params, body }, c) =>
    claims.claim(params.pool, body, c.req.raw.signal),
  );
}
