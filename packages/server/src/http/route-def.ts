import { createRoute, type OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import { ApiError, PUBLIC_API_PATHS, type RouteDef } from "@sluice/contracts";
import type { Context, Env } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid request: malformed JSON or a field failing validation (details.issues names it).",
  401: "Authentication is on and the request has no valid API key (missing, wrong, expired or revoked).",
  403: "The API key's scope is too small for this request; the message names the scope needed.",
  404: "The resource does not exist.",
  409: "The request conflicts with the resource's current state.",
  413: "The request or one of its fields is too large.",
  415: "The request body is not application/json.",
  429: "Too many failed authentication attempts from this address; see Retry-After.",
  500: "Internal error.",
  503: "The database is unavailable.",
};

/** The OpenAPI security scheme of API keys (`Authorization: Bearer <key>`), registered by createApp. */
export const BEARER_SCHEME = "apiKey";

/** Converts a contract route into an OpenAPI route; the contract is the only declaration. */
export function toOpenApiRoute(def: RouteDef): RouteConfig {
  const status = def.status ?? 200;
  const inputStatuses = def.params || def.query || def.body ? [400] : [];
  const bodyStatuses = def.body ? [413, 415] : [];
  // Meta routes never touch the database (ready declares its own 503).
  const databaseStatuses = def.tag === "meta" ? [] : [503];
  // Every route but the probes needs an API key once authentication is on.
  const authStatuses = PUBLIC_API_PATHS.includes(def.path) ? [] : [401, 403, 429];
  const statuses = [
    ...inputStatuses,
    ...authStatuses,
    ...(def.errors ?? []),
    ...bodyStatuses,
    500,
    ...databaseStatuses,
  ];
  const errorStatuses = [...new Set(statuses)].sort((a, b) => a - b);
  const responses: RouteConfig["responses"] = {
    [status]: { description: def.summary, content: { "application/json": { schema: def.response } } },
  };
  for (const code of errorStatuses) {
    responses[code] = {
      description: ERROR_DESCRIPTIONS[code] ?? "Error.",
      content: { "application/json": { schema: ApiError } },
    };
  }
  return createRoute({
    method: def.method,
    path: def.path,
    operationId: def.operationId,
    summary: def.summary,
    tags: [def.tag],
    ...(authStatuses.length > 0 ? { security: [{ [BEARER_SCHEME]: [] }] } : {}),
    request: {
      ...(def.params ? { params: def.params } : {}),
      ...(def.query ? { query: def.query } : {}),
      ...(def.body
        ? { body: { required: true, content: { "application/json": { schema: def.body } } } }
        : {}),
    },
    responses,
  });
}

/** The validated input of a route, typed from its contract. */
export interface HandlerInput<R extends RouteDef> {
  params: R["params"] extends z.ZodType ? z.output<R["params"]> : undefined;
  query: R["query"] extends z.ZodType ? z.output<R["query"]> : undefined;
  body: R["body"] extends z.ZodType ? z.output<R["body"]> : undefined;
}

/**
 * A route handler: validated input in, a response value (sent as JSON with the route's status) out.
 * A handler may return a Response itself when it needs another status (GET /api/ready answers 503).
 */
export type RouteHandler<R extends RouteDef> = (
  input: HandlerInput<R>,
  c: Context,
) => Promise<z.input<R["response"]> | Response> | z.input<R["response"]> | Response;

/**
 * Registers `handler` for the contract route `def` on `app`: zod-openapi validates params, query and
 * body (failures go to the app's default hook) and documents the route in the OpenAPI document.
 */
export function registerRoute<E extends Env, R extends RouteDef>(
  app: OpenAPIHono<E>,
  def: R,
  handler: RouteHandler<R>,
): void {
  const status = (def.status ?? 200) as ContentfulStatusCode;
  app.openapi(toOpenApiRoute(def), async (c) => {
    const valid = c.req.valid.bind(c.req) as (target: string) => unknown;
    const input = {
      params: def.params ? valid("param") : undefined,
      query: def.query ? valid("query") : undefined,
      body: def.body ? valid("json") : undefined,
    } as HandlerInput<R>;
    const output = await handler(input, c);
    if (output instanceof Response) return output;
    return c.json(output as object, status);
  });
}
