import { routes, type ApiKeyScope, type RouteDef } from "@sluice/contracts";

/**
 * POST routes that only read: searches, counts, the dashboard's activity and the artifact keys take
 * their filter as a body. A read-only key must be able to open every page of the UI.
 */
const READ_ONLY_POST = /\/(filter|count|count-by-state|history|keys)$/;

/** The scope a contract route needs: admin for API keys, read for reads, write for the rest. */
export function routeScope(route: Pick<RouteDef, "method" | "path" | "tag">): ApiKeyScope {
  if (route.tag === "api-keys") return "admin";
  if (route.method === "get") return "read";
  if (route.method === "post" && READ_ONLY_POST.test(route.path)) return "read";
  return "write";
}

interface ScopedRoute {
  readonly method: string;
  readonly pattern: RegExp;
  readonly scope: ApiKeyScope;
}

// Literal paths before templated ones, so /api/flow-runs/filter never matches /api/flow-runs/{id}.
const SCOPED_ROUTES: readonly ScopedRoute[] = Object.values(routes)
  .map((route) => ({
    method: route.method.toUpperCase(),
    pattern: new RegExp(`^${route.path.replace(/\{\w+\}/g, "[^/]+")}$`),
    scope: routeScope(route),
    placeholders: route.path.split("{").length - 1,
  }))
  .sort((a, b) => a.placeholders - b.placeholders);

/**
 * The scope a request needs. Reading secrets (`includeSecrets=true`) and anything under
 * /api/api-keys needs admin; other routes take their contract's scope; paths outside the contract
 * (the OpenAPI document, unknown paths) need read for GET and HEAD, write otherwise.
 */
export function requiredScope(method: string, path: string, includeSecrets: boolean): ApiKeyScope {
  if (includeSecrets || path === "/api/api-keys" || path.startsWith("/api/api-keys/")) return "admin";
  const verb = method === "HEAD" ? "GET" : method;
  const route = SCOPED_ROUTES.find((r) => r.method === verb && r.pattern.test(path));
  if (route) return route.scope;
  return verb === "GET" ? "read" : "write";
}
