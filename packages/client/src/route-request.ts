import type { RouteDef } from "@sluice/contracts";

/** What `call()` takes for any route: path params, query and body. */
export interface AnyRouteInput {
  params?: Record<string, unknown> | undefined;
  query?: Record<string, unknown> | undefined;
  body?: unknown;
}

/** The method, URL and JSON body of one request to a route. */
export interface BuiltRequest {
  method: string;
  url: string;
  body: string | undefined;
}

/** Builds a request: substitutes `{name}` path params (URL-encoded), appends the query, serialises the body. */
export function buildRouteRequest(
  baseUrl: string,
  route: RouteDef,
  input: AnyRouteInput | undefined,
): BuiltRequest {
  let path = route.path;
  if (route.path.includes("{")) {
    path = route.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
      const value = input?.params?.[name];
      if (value === undefined || value === null) {
        throw new TypeError(`${route.operationId}: missing path parameter "${name}"`);
      }
      return encodeURIComponent(scalarToString(value));
    });
  }
  const query = input?.query === undefined ? "" : buildQueryString(input.query);
  const body = input?.body === undefined ? undefined : JSON.stringify(input.body);
  return { method: route.method.toUpperCase(), url: baseUrl + path + query, body };
}

/** Encodes a query object: arrays repeat the key, objects become JSON, undefined is left out. */
export function buildQueryString(query: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const values: unknown[] = Array.isArray(value) ? value : [value];
    for (const item of values) {
      search.append(key, scalarToString(item));
    }
  }
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}

/** A query or path value as text: objects as JSON, scalars as themselves. */
function scalarToString(value: unknown): string {
  if (typeof value === "string") return value;
  // JSON text of a number or boolean is its plain text too.
  return JSON.stringify(value) ?? "";
}
