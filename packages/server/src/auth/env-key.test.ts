import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestClock } from "../testing/test-clock.js";
import { startTestServer, type TestServer } from "../testing/start-test-server.js";
import { send } from "./auth-test-http.js";
import { MAX_FAILURES } from "./failure-limiter.js";

const SERVER_KEY = "env-admin-key-0123456789abcdef";
const clock = createTestClock();
const log: string[] = [];
let server: TestServer;
const call = (method: string, path: string, options?: Parameters<typeof send>[3]) =>
  send(server.url, method, path, options);

beforeAll(async () => {
  server = await startTestServer({
    ownDatabase: true,
    clock,
    apiKey: SERVER_KEY,
    logWrite: (line) => log.push(line),
  });
});
afterAll(() => server.close());

describe("API authentication with SLUICE_API_KEY", () => {
  it("needs the key on every route but the probes, and takes it as admin", async () => {
    expect((await call("GET", "/api/health")).status).toBe(200);
    expect((await call("GET", "/api/version")).status).toBe(401);
    expect((await call("GET", "/api/openapi.json")).status).toBe(401);
    expect((await call("GET", "/api/version", { key: SERVER_KEY })).status).toBe(200);
    expect((await call("GET", "/api/version", { key: SERVER_KEY.slice(0, -1) })).status).toBe(401);
    const created = await call("POST", "/api/api-keys", {
      key: SERVER_KEY,
      body: { name: "reader", scope: "read" },
    });
    expect(created.status).toBe(201);
    const reader = (created.body as { key: string }).key;
    expect((await call("GET", "/api/version", { key: reader })).status).toBe(200);
    expect((await call("GET", "/api/api-keys", { key: reader })).status).toBe(403);
  });

  it("answers 429 with Retry-After to an address after too many failures, without checking its key", async () => {
    clock.advance(61_000);
    for (let i = 0; i < MAX_FAILURES; i += 1) {
      expect((await call("GET", "/api/version", { key: `wrong-${i}` })).status).toBe(401);
    }
    const blocked = await call("GET", "/api/version", { key: SERVER_KEY });
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: "too_many_requests" });
    expect(blocked.headers.get("retry-after")).toBe("60");
    expect((await call("GET", "/api/health")).status).toBe(200);
    clock.advance(45_000);
    expect((await call("GET", "/api/version", { key: SERVER_KEY })).headers.get("retry-after")).toBe("15");
    clock.advance(15_000);
    expect((await call("GET", "/api/version", { key: SERVER_KEY })).status).toBe(200);
    expect(log.join("\n")).toMatch(/too many failed authentication attempts/);
    expect(log.join("\n")).not.toContain(SERVER_KEY.slice(0, 8));
  });
});
