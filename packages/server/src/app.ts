import { OpenAPIHono } from "@hono/zod-openapi";
import { API_VERSION, MAX_REQUEST_BODY_BYTES, type ApiError } from "@sluice/contracts";
import { bodyLimit } from "hono/body-limit";
import type { AppDeps } from "./app-deps.js";
import { createApiKeyAuthenticator } from "./auth/api-key-authenticator.js";
import { mountApiKeyRoutes } from "./auth/api-key-routes.js";
import { createApiKeyService } from "./auth/api-key-service.js";
import { authMiddleware } from "./auth/auth-middleware.js";
import { createFailureLimiter } from "./auth/failure-limiter.js";
import { mountArtifactRoutes } from "./artifacts/artifact-routes.js";
import { mountBlockRoutes } from "./blocks/block-routes.js";
import { mountConcurrencyRoutes } from "./concurrency/concurrency-routes.js";
import { createConcurrencyService } from "./concurrency/concurrency-service.js";
import { createBlockService } from "./blocks/block-service.js";
import { createBlockTypeService } from "./blocks/block-type-service.js";
import { mountDeploymentRoutes } from "./deployments/deployment-routes.js";
import { createDeploymentService } from "./deployments/deployment-service.js";
import { createArtifactService } from "./artifacts/artifact-service.js";
import { mountFlowRunRoutes } from "./flow-runs/flow-run-routes.js";
import { createFlowRunService } from "./flow-runs/flow-run-service.js";
import { mountFlowRoutes } from "./flows/flow-routes.js";
import { createFlowService } from "./flows/flow-service.js";
import { createErrorHandler, validationFailed } from "./http/error-handler.js";
import { NotFoundError } from "./http/errors.js";
import { BEARER_SCHEME } from "./http/route-def.js";
import { compactOpenApiDocument } from "./http/openapi-components.js";
import { API_DOCS_HTML } from "./http/pages.js";
import { mountUi } from "./http/ui-static.js";
import { mountEventStreamRoute } from "./events/event-stream-route.js";
import { mountLogRoutes } from "./logs/log-routes.js";
import { createLogService } from "./logs/log-service.js";
import { mountMetaRoutes } from "./meta/meta-routes.js";
import { mountTaskRunRoutes } from "./task-runs/task-run-routes.js";
import { createTaskRunService } from "./task-runs/task-run-service.js";
import { createClaimService } from "./work-pools/claim-service.js";
import { mountVariableRoutes } from "./variables/variable-routes.js";
import { createVariableService } from "./variables/variable-service.js";
import { mountWorkPoolRoutes } from "./work-pools/work-pool-routes.js";
import { createWorkPoolService } from "./work-pools/work-pool-service.js";

export type { AppDeps } from "./app-deps.js";

/** The OpenAPI document's header. */
export const OPENAPI_INFO = {
  openapi: "3.1.0",
  info: {
    title: "Sluice API",
    version: API_VERSION,
    description: "Flows, flow runs, task runs, logs and artifacts of a Sluice server.",
  },
} as const;

const REQUEST_PARTS: Record<string, string> = {
  json: "body",
  param: "params",
  query: "query",
  header: "headers",
};

/** Builds the HTTP app: every domain's routes, the error handler, OpenAPI, docs and the home page. */
export function createApp(deps: AppDeps): OpenAPIHono {
  const app = new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) {
        throw validationFailed(REQUEST_PARTS[result.target] ?? result.target, result.error);
      }
    },
  });
  app.onError(createErrorHandler(deps.logger));
  app.openAPIRegistry.registerComponent("securitySchemes", BEARER_SCHEME, {
    type: "http",
    scheme: "bearer",
    description: "An API key; needed once SLUICE_API_KEY is set or any key exists.",
  });
  app.notFound((c) => {
    const error = new NotFoundError("not_found", `no route for ${c.req.method} ${c.req.path}`);
    return c.json({ code: error.code, message: error.message } satisfies ApiError, 404);
  });
  app.use("*", async (c, next) => {
    const started = performance.now();
    await next();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    deps.logger.debug("request", { method: c.req.method, path: c.req.path, status: c.res.status, ms });
  });
  const authenticator = createApiKeyAuthenticator(deps);
  const limiter = createFailureLimiter(() => deps.clock.now().getTime());
  app.use("/api/*", authMiddleware({ authenticator, limiter, logger: deps.logger }));
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: MAX_REQUEST_BODY_BYTES,
      onError: (c) =>
        c.json(
          {
            code: "payload_too_large",
            message: `the request body is larger than ${MAX_REQUEST_BODY_BYTES} bytes`,
            details: { limit: MAX_REQUEST_BODY_BYTES },
          } satisfies ApiError,
          413,
        ),
    }),
  );
  mountMetaRoutes(app, deps);
  const flows = createFlowService(deps);
  mountFlowRoutes(app, flows);
  mountFlowRunRoutes(app, createFlowRunService(deps, flows));
  mountTaskRunRoutes(app, createTaskRunService(deps));
  mountLogRoutes(app, createLogService(deps));
  mountArtifactRoutes(app, createArtifactService(deps));
  mountVariableRoutes(app, createVariableService(deps));
  const blockTypes = createBlockTypeService(deps);
  mountBlockRoutes(app, createBlockService(deps, blockTypes), blockTypes);
  mountDeploymentRoutes(app, createDeploymentService(deps, flows));
  const workPools = createWorkPoolService(deps);
  mountWorkPoolRoutes(app, workPools, createClaimService(deps, workPools));
  mountConcurrencyRoutes(app, createConcurrencyService(deps));
  mountApiKeyRoutes(app, createApiKeyService(deps, authenticator));
  let document: object | undefined;
  app.get("/api/openapi.json", (c) =>
    c.json((document ??= compactOpenApiDocument(app.getOpenAPI31Document(OPENAPI_INFO)))),
  );
  app.get("/api/docs", (c) => c.html(API_DOCS_HTML));
  mountEventStreamRoute(app, deps);
  // Last: the web UI answers every other GET outside /api, including FLOW_RUN_PAGE_PATH (/runs/{id}).
  mountUi(app, deps.uiDir);
  return app;
}
