import { routes } from "@sluice/contracts";
import { describe, expect, it } from "vitest";
import { requiredScope, routeScope } from "./required-scope.js";

describe("the scope a request needs", () => {
  it("is read for exactly these POST routes (searches and counts), derived from the contracts", () => {
    const readPosts = Object.values(routes)
      .filter((route) => route.method === "post" && routeScope(route) === "read")
      .map((route) => route.path)
      .sort();
    expect(readPosts).toEqual(
      [
        "/api/artifacts/filter",
        "/api/artifacts/keys",
        "/api/blocks/filter",
        "/api/deployments/filter",
        "/api/flow-runs/count",
        "/api/flow-runs/count-by-state",
        "/api/flow-runs/filter",
        "/api/flow-runs/history",
        "/api/flows/filter",
        "/api/logs/filter",
        "/api/task-runs/count-by-state",
        "/api/task-runs/filter",
        "/api/variables/filter",
        "/api/work-pools/filter",
        "/api/workers/filter",
      ].sort(),
    );
  });

  it("is admin for API keys and secrets, write for the worker's claim and heartbeats", () => {
    expect(requiredScope("GET", "/api/api-keys", false)).toBe("admin");
    expect(requiredScope("DELETE", "/api/api-keys/0190e0b4-0000-7000-8000-000000000000", false)).toBe(
      "admin",
    );
    expect(requiredScope("GET", "/api/blocks/secret/x", true)).toBe("admin");
    expect(requiredScope("GET", "/api/blocks/secret/x", false)).toBe("read");
    expect(requiredScope("POST", "/api/work-pools/p/claim", false)).toBe("write");
    expect(requiredScope("POST", "/api/work-pools/p/workers/heartbeat", false)).toBe("write");
    expect(
      requiredScope("POST", "/api/flow-runs/0190e0b4-0000-7000-8000-000000000000/heartbeat", false),
    ).toBe("write");
    expect(requiredScope("HEAD", "/api/flows/0190e0b4-0000-7000-8000-000000000000", false)).toBe("read");
    expect(requiredScope("GET", "/api/openapi.json", false)).toBe("read");
    expect(requiredScope("POST", "/api/not-a-route", false)).toBe("write");
  });
});
