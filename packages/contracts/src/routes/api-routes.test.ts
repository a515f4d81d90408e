import { describe, expect, it } from "vitest";
import { z } from "zod";
import { routes } from "./api-routes.js";

const all = Object.entries(routes);

describe("the route table", () => {
  it("names each route by its operation id", () => {
    for (const [name, route] of all) expect(route.operationId).toBe(name);
  });

  it("declares each method and path once", () => {
    const keys = all.map(([, r]) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("declares a params schema with exactly the placeholders of each path", () => {
    for (const [name, route] of all) {
      const placeholders = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = "params" in route && route.params ? Object.keys(route.params.shape).sort() : [];
      expect(declared, name).toEqual(placeholders);
    }
  });

  it("keeps every path under /api in kebab-case", () => {
    for (const [, route] of all) {
      expect(route.path).toMatch(/^\/api(\/([a-z0-9-]+|\{\w+\}))+$/);
    }
  });

  it("gives bodies only to methods that carry one", () => {
    for (const [name, route] of all) {
      if (route.method === "get" || route.method === "delete") expect("body" in route, name).toBe(false);
    }
  });

  it("has response schemas that produce a JSON schema (for OpenAPI)", () => {
    for (const [name, route] of all) {
      expect(
        () => z.toJSONSchema(route.response, { io: "output", unrepresentable: "any" }),
        name,
      ).not.toThrow();
    }
  });
});
