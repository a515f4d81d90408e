import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestClock } from "../testing/test-clock.js";
import { startTestServer, type TestServer } from "../testing/start-test-server.js";
import { send } from "./auth-test-http.js";

// Its own database on PostgreSQL: once a key exists, every server on that database wants keys.
const clock = createTestClock();
const log: string[] = [];
let server: TestServer;
const keys: Record<string, string> = {};
const WINDOW_MS = 61_000;
const call = (method: string, path: string, options?: Parameters<typeof send>[3]) =>
  send(server.url, method, path, options);

beforeAll(async () => {
  server = await startTestServer({ ownDatabase: true, clock, logWrite: (line) => log.push(line) });
});
afterAll(() => server.close());

async function createKey(name: string, scope: string, as?: string, expiresInDays?: number) {
  const created = await call("POST", "/api/api-keys", {
    ...(as ? { key: as } : {}),
    body: { name, scope, ...(expiresInDays ? { expiresInDays } : {}) },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; key: string; prefix: string; name: string };
}

describe("API authentication with keys from the database", () => {
  it("is off while no key exists: every route answers without one", async () => {
    expect((await call("GET", "/api/version")).status).toBe(200);
    expect((await call("POST", "/api/flows/filter", { body: {} })).status).toBe(200);
    expect((await call("GET", "/api/api-keys")).body).toEqual({ items: [] });
  });

  it("turns on with the first key, at once; the key is shown once and only its prefix after", async () => {
    const admin = await createKey("ci-admin", "admin");
    expect(admin.key).toMatch(/^sluice_[A-Za-z0-9_-]{43}$/);
    expect(admin.key.startsWith(admin.prefix)).toBe(true);
    expect(admin.prefix).toHaveLength(15);
    keys.admin = admin.key;
    const open = await call("GET", "/api/version");
    expect(open.status).toBe(401);
    expect((await call("GET", "/api/health")).status).toBe(200);
    expect((await call("GET", "/api/ready")).status).toBe(200);
    const listed = await call("GET", "/api/api-keys", { key: admin.key });
    expect(listed.body).toEqual({
      items: [
        {
          id: admin.id,
          name: "ci-admin",
          scope: "admin",
          prefix: admin.prefix,
          createdAt: clock.now().toISOString(),
          lastUsedAt: clock.now().toISOString(),
          expiresAt: null,
        },
      ],
    });
    expect(JSON.stringify(listed.body)).not.toContain(admin.key.slice(admin.prefix.length));
    keys.read = (await createKey("dashboards", "read", admin.key)).key;
    keys.write = (await createKey("worker-1", "write", admin.key)).key;
  });

  it("refuses a second key of the same name, naming it", async () => {
    const again = await call("POST", "/api/api-keys", {
      key: keys.admin,
      body: { name: "dashboards", scope: "read" },
    });
    expect(again).toMatchObject({
      status: 409,
      body: { code: "conflict", message: 'an API key named "dashboards" already exists' },
    });
  });

  it("gives each scope what it includes: read < write < admin", async () => {
    const variable = `/api/variables/auth_${randomUUID().slice(0, 8)}`;
    const blockSecrets = "/api/blocks/secret/db-password?includeSecrets=true";
    const cases: [string, string, string, unknown, Record<string, number>][] = [
      ["GET", "/api/version", "read", undefined, { read: 200, write: 200, admin: 200 }],
      ["POST", "/api/flow-runs/filter", "read", {}, { read: 200, write: 200, admin: 200 }],
      ["POST", "/api/flow-runs/count", "read", {}, { read: 200, write: 200, admin: 200 }],
      ["PUT", variable, "write", { value: 1 }, { read: 403, write: 200, admin: 200 }],
      ["POST", "/api/flows", "write", { name: "auth-flow" }, { read: 403, write: 200, admin: 200 }],
      [
        "POST",
        "/api/work-pools/no-such-pool/claim",
        "write",
        { workerName: "w" },
        { read: 403, write: 404, admin: 404 },
      ],
      ["GET", "/api/api-keys", "admin", undefined, { read: 403, write: 403, admin: 200 }],
      ["GET", blockSecrets, "admin", undefined, { read: 403, write: 403, admin: 404 }],
      ["GET", "/api/blocks/secret/db-password", "read", undefined, { read: 404, write: 404, admin: 404 }],
    ];
    for (const [method, path, need, body, expected] of cases) {
      for (const scope of ["read", "write", "admin"] as const) {
        const response = await call(method, path, { key: keys[scope] ?? "", body });
        expect(response.status, `${scope} key: ${method} ${path}`).toBe(expected[scope]);
        if (response.status === 403) {
          expect(response.body).toEqual({
            code: "forbidden",
            message: `this needs the ${need} scope; the API key has the ${scope} scope`,
            details: { requiredScope: need, scope },
          });
        }
      }
    }
  });

  it("answers the same 401 to a missing, malformed, wrong, expired or revoked key", async () => {
    clock.advance(WINDOW_MS); // a fresh failure window for this test's failures
    const expiring = await createKey("short-lived", "read", keys.admin, 1);
    const revoked = await createKey("revoked", "read", keys.admin);
    expect((await call("GET", "/api/version", { key: expiring.key })).status).toBe(200);
    expect((await call("GET", "/api/version", { key: revoked.key })).status).toBe(200);
    expect((await call("DELETE", `/api/api-keys/${revoked.id}`, { key: keys.admin })).status).toBe(200);
    clock.advance(86_400_000 + 1000);
    const attempts = [
      {},
      { authorization: "Basic dXNlcjpwYXNz" },
      { key: "sluice_" + "x".repeat(43) },
      { key: "y".repeat(600) },
      { key: expiring.key },
      { key: revoked.key },
    ];
    for (const attempt of attempts) {
      const response = await call("POST", "/api/flow-runs/filter", { ...attempt, body: {} });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ code: "unauthorized", message: "a valid API key is required" });
      expect(response.headers.get("www-authenticate")).toBe("Bearer");
    }
    const missing = await call("DELETE", `/api/api-keys/${revoked.id}`, { key: keys.admin });
    expect(missing).toMatchObject({ status: 404, body: { code: "api_key_not_found" } });
  });

  it("stops a key revoked by another server within the cache delay", async () => {
    clock.advance(WINDOW_MS);
    const other = await createKey("other-replica", "read", keys.admin);
    expect((await call("GET", "/api/version", { key: other.key })).status).toBe(200);
    // Another replica revokes it: this server only sees the table, once its cache entry is stale.
    await server.db.db.deleteFrom("api_keys").where("id", "=", other.id).execute();
    expect((await call("GET", "/api/version", { key: other.key })).status).toBe(200);
    clock.advance(2000);
    expect((await call("GET", "/api/version", { key: other.key })).status).toBe(401);
  });

  it("writes last_used_at at most once a minute per key", async () => {
    const lastUsed = async () => {
      const listed = await call("GET", "/api/api-keys", { key: keys.admin });
      const items = (listed.body as { items: { name: string; lastUsedAt: string | null }[] }).items;
      return items.find((k) => k.name === "dashboards")?.lastUsedAt;
    };
    clock.advance(WINDOW_MS);
    await call("GET", "/api/version", { key: keys.read });
    const first = clock.now().toISOString();
    expect(await lastUsed()).toBe(first);
    clock.advance(30_000);
    await call("GET", "/api/version", { key: keys.read });
    clock.advance(2000); // past the row cache, so the listing reads what the table holds
    expect(await lastUsed()).toBe(first);
    clock.advance(30_000);
    await call("GET", "/api/version", { key: keys.read });
    expect(await lastUsed()).toBe(clock.now().toISOString());
  });

  it("logs failures at warn with the address, method and path, and never a key", async () => {
    const failures = log.map((line) => JSON.parse(line) as Record<string, unknown>);
    const failed = failures.filter((entry) => entry.message === "authentication failed");
    expect(failed.length).toBeGreaterThanOrEqual(7);
    expect(failed[0]).toMatchObject({
      level: "warn",
      client: "127.0.0.1",
      method: "GET",
      path: "/api/version",
    });
    const text = log.join("\n");
    for (const key of [...Object.values(keys), "sluice_" + "x".repeat(43)]) {
      expect(text).not.toContain(key.slice(7, 15));
    }
    expect(text).not.toContain("yyyyyyyy");
  });
});
