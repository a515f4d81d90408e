import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import {
  ApiError,
  Artifact,
  Flow,
  FlowRun,
  Log,
  ResultRef,
  State,
  StateDetails,
  TaskRun,
} from "@sluice/contracts";
import type { z } from "zod";

/**
 * Contract schemas the OpenAPI document names under components.schemas. The contracts carry no
 * OpenAPI names (they import only zod), so the generator inlines every use; this pass renders each
 * named schema once and replaces every identical inline copy with a $ref. Only exact copies are
 * replaced, so the document means the same, at a fraction of the size.
 */
const NAMED_SCHEMAS: Record<string, z.ZodType> = {
  ApiError,
  Artifact,
  Flow,
  FlowRun,
  Log,
  ResultRef,
  State,
  StateDetails,
  TaskRun,
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Moves the named schemas into components.schemas and points every identical copy at them. */
export function compactOpenApiDocument(document: object): JsonObject {
  const doc = structuredClone(document) as JsonObject;
  const rendered = renderSchemas();
  const names = new Map(Object.entries(rendered).map(([name, schema]) => [canonical(schema), name]));
  const components: JsonObject = {};
  for (const [name, schema] of Object.entries(rendered))
    components[name] = replaceCopies(schema, names, true);
  doc.paths = replaceCopies(doc.paths ?? {}, names, false);
  const existing = (doc.components ?? {}) as JsonObject;
  doc.components = { ...existing, schemas: { ...((existing.schemas ?? {}) as JsonObject), ...components } };
  return doc;
}

/** Each named schema as the generator renders it. */
function renderSchemas(): Record<string, Json> {
  const app = new OpenAPIHono();
  for (const [name, schema] of Object.entries(NAMED_SCHEMAS)) {
    const content = { "application/json": { schema } };
    const route = createRoute({
      method: "get",
      path: `/${name}`,
      responses: { 200: { description: name, content } },
    });
    app.openapi(route, (c) => c.json({}, 200));
  }
  const paths = app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "", version: "" } })
    .paths as JsonObject;
  const schemaAt = (name: string) =>
    ((((paths[`/${name}`] as JsonObject).get as JsonObject).responses as JsonObject)["200"] as JsonObject)
      .content as JsonObject;
  return Object.fromEntries(
    Object.keys(NAMED_SCHEMAS).map((name) => [
      name,
      (schemaAt(name)["application/json"] as JsonObject).schema ?? {},
    ]),
  );
}

/** Replaces copies of named schemas inside `value` (not `value` itself when `isRoot`). */
function replaceCopies(value: Json, names: Map<string, string>, isRoot: boolean): Json {
  if (value === null || typeof value !== "object") return value;
  if (!isRoot && !Array.isArray(value)) {
    const name = names.get(canonical(value));
    if (name) return { $ref: `#/components/schemas/${name}` };
  }
  if (Array.isArray(value)) return value.map((item) => replaceCopies(item, names, false));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, replaceCopies(item, names, false)]),
  );
}

/** JSON with sorted keys, so equal schemas compare equal whatever their key order. */
function canonical(value: Json): string {
  return JSON.stringify(value, (_key, item: Json) =>
    item && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)))
      : item,
  );
}
