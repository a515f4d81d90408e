import type { z } from "zod";

/** HTTP methods the API uses. */
export type HttpMethod = "get" | "post" | "patch" | "put" | "delete";

/**
 * One API route, declared once as data. The server validates requests and emits OpenAPI from it;
 * the client builds requests and parses responses with it.
 */
export interface RouteDef {
  readonly method: HttpMethod;
  /** OpenAPI-style path under the server root, for example "/api/flow-runs/{id}". */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  /** Groups routes in the OpenAPI document. */
  readonly tag: string;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly response: z.ZodType;
  /** Success status (default 200). */
  readonly status?: number;
  /** Error statuses this route can answer with, besides 400 and 500. */
  readonly errors?: readonly number[];
}

/** Declares a route, keeping its literal types for the client and server. */
export function defineRoute<const T extends RouteDef>(def: T): T {
  return def;
}

/** The input a route takes: path params, query and body, each typed from its schema. */
export type RouteInput<R extends RouteDef> = (R["params"] extends z.ZodType
  ? { params: z.input<R["params"]> }
  : { params?: undefined }) &
  (R["query"] extends z.ZodType ? { query?: z.input<R["query"]> } : { query?: undefined }) &
  (R["body"] extends z.ZodType ? { body: z.input<R["body"]> } : { body?: undefined });

/** The parsed response a route returns. */
export type RouteOutput<R extends RouteDef> = z.output<R["response"]>;
