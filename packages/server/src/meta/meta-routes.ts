import type { OpenAPIHono } from "@hono/zod-openapi";
import { API_VERSION, routes, type VersionResponse } from "@sluice/contracts";
import type { AppDeps } from "../app-deps.js";
import { isSchemaCurrent } from "../db/migrate.js";
import { registerRoute } from "../http/route-def.js";
import { SERVER_VERSION } from "../version.js";

/** Mounts health (liveness), ready (database answers) and version. */
export function mountMetaRoutes(app: OpenAPIHono, { db, logger }: Pick<AppDeps, "db" | "logger">): void {
  registerRoute(app, routes.health, () => ({ status: "ok" as const }));
  registerRoute(app, routes.ready, async (_input, c) => {
    try {
      await db.ping();
      if (!(await isSchemaCurrent(db))) {
        logger.warn("not ready: the database schema is not migrated; run `sluice db upgrade`");
        return c.json({ status: "unavailable", database: db.kind }, 503);
      }
      return { status: "ready" as const, database: db.kind };
    } catch (error) {
      logger.warn("readiness check failed", {
        error: error instanceof Error ? error.message : String(error),
      });
      return c.json({ status: "unavailable", database: db.kind }, 503);
    }
  });
  registerRoute(app, routes.version, (): VersionResponse => ({
    version: SERVER_VERSION,
    apiVersion: API_VERSION,
    database: db.kind,
  }));
}
