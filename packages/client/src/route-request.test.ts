import { defineRoute, routes } from "@sluice/contracts";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { buildRouteRequest, buildQueryString } from "./route-request.js";
import { backoffDelayMs, isRetryableStatus, parseRetryAfterMs } from "./retry-policy.js";

describe("buildRouteRequest", () => {
  it("encodes path params and serialises the body", () => {
    const built = buildRouteRequest("http://h", routes.readLatestArtifact, { params: { key: "a b/c" } });
    expect(built).toEqual({
      method: "GET",
      url: "http://h/api/artifacts/key/a%20b%2Fc/latest",
      body: undefined,
    });
    const post = buildRouteRequest("http://h", routes.filterLogs, { body: { limit: 5 } });
    expect(post).toMatchObject({ method: "POST", body: '{"limit":5}' });
  });

  it("throws on a missing path param", () => {
    expect(() => buildRouteRequest("http://h", routes.readFlowRun, {})).toThrow(
      /missing path parameter "id"/,
    );
  });

  it("builds query strings with repeated keys", () => {
    const route = defineRoute({
      method: "get",
      path: "/api/x",
      operationId: "x",
      summary: "x",
      tag: "x",
      query: z.object({ a: z.array(z.string()), b: z.number() }),
      response: z.object({}),
    });
    expect(buildRouteRequest("http://h", route, { query: { a: ["1", "2"], b: 3 } }).url).toBe(
      "http://h/api/x?a=1&a=2&b=3",
    );
    expect(buildQueryString({ skip: undefined })).toBe("");
  });
});

describe("retry policy", () => {
  it("retries only 429 and gateway errors", () => {
    expect([400, 404, 409, 429, 500, 502, 503, 504].filter(isRetryableStatus)).toEqual([429, 502, 503, 504]);
  });

  it("backs off exponentially with jitter, capped", () => {
    expect(backoffDelayMs(1, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelayMs(3, 100, 10_000, () => 1)).toBe(400);
    expect(backoffDelayMs(20, 100, 1000, () => 1)).toBe(1000);
  });

  it("parses Retry-After", () => {
    expect(parseRetryAfterMs("2")).toBe(2000);
    expect(parseRetryAfterMs(new Date(10_000).toUTCString(), 5000)).toBe(5000);
    expect(parseRetryAfterMs(null)).toBeUndefined();
  });
});
