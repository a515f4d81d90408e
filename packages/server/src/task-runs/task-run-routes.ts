import type { OpenAPIHono } from "@hono/zod-openapi";
import { routes } from "@sluice/contracts";
import { registerRoute } from "../http/route-def.js";
import type { TaskRunService } from "./task-run-service.js";

/** Mounts the task-run routes. */
export function mountTaskRunRoutes(app: OpenAPIHono, taskRuns: TaskRunService): void {
  registerRoute(app, routes.recordTaskRuns, ({ body }) => taskRuns.record(body));
  registerRoute(app, routes.filterTaskRuns, ({ body }) => taskRuns.list(body));
  registerRoute(app, routes.countTaskRunsByState, ({ body }) => taskRuns.countByState(body));
  registerRoute(app, routes.readTaskRun, ({ params }) => taskRuns.read(params.id));
  registerRoute(app, routes.readTaskRunStates, ({ params }) => taskRuns.readStates(params.id));
}
