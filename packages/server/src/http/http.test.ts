import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { API_VERSION, MAX_REQUEST_BODY_BYTES } from "@sluice/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { systemClock } from "../clock.js";
import { LocalEventBus } from "../events/event-bus.js";
import { loadServerConfig } from "../config.js";
import type { Database } from "../db/database.js";
import { createLogger } from "../logger.js";
import { startTestServer, type TestServer } from "../testing/start-test-server.js";
import { issuePaths, items, testHttp, waitFor } from "../testing/test-http.js";
import { SERVER_VERSION } from "../version.js";
import { createOpenApiDocument, formatOpenApiDocument } from "./openapi-document.js";
import { generateEncryptionKey } from "../blocks/encryption/encryption-key.js";
import { Keyring } from "../blocks/encryption/keyring.js";

let server: TestServer;
let api: ReturnType<typeof testHttp>;

beforeAll(async () => {
  server = await startTestServer();
  api = testHttp(server.url);
});
afterAll(() => server?.close());

describe("meta routes", () => {
  it("answers health, ready and version", async () => {
    expect(await api.get("/api/health")).toEqual({ status: 200, body: { status: "ok" } });
    expect(await api.get("/api/ready")).toEqual({
      status: 200,
      body: { status: "ready", database: server.database.kind },
    });
    expect((await api.get("/api/version")).body).toEqual({
      version: SERVER_VERSION,
      apiVersion: API_VERSION,
      database: server.database.kind,
    });
  });
});

describe("bad requests", () => {
  it("answers malformed JSON with 400 malformed_json", async () => {
    const res = await api.postRaw("/api/flows", '{"name": ');
    expect(res).toEqual({
      status: 400,
      body: { code: "malformed_json", message: "the request body is not valid JSON" },
    });
  });

  it("answers a body that is not JSON with 415 unsupported_media_type", async () => {
    const res = await fetch(`${server.url}/api/flows`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: '{"name":"x"}',
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ code: "unsupported_media_type" });
  });

  it("names each failing field", async () => {
    const res = await api.post("/api/flow-runs/filter", { limit: "ten", stateTypes: ["DONE"], tags: [1] });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_failed");
    const paths = issuePaths(res);
    expect(paths).toEqual(expect.arrayContaining(["body.limit", "body.stateTypes.0", "body.tags.0"]));
    const params = await api.get("/api/flow-runs/not-a-uuid");
    expect(params.body.details.issues[0].path).toBe("params.id");
  });

  it("refuses a body over the size limit with 413", async () => {
    const res = await api.postRaw(
      "/api/logs",
      JSON.stringify({ logs: [], pad: "x".repeat(MAX_REQUEST_BODY_BYTES) }),
    );
    expect(res).toMatchObject({ status: 413, body: { code: "payload_too_large" } });
  });

  it("answers unknown routes with 404 not_found", async () => {
    expect(await api.get("/api/nothing-here")).toMatchObject({ status: 404, body: { code: "not_found" } });
  });
});

describe("flows", () => {
  it("registers by name idempotently, reads, and lists by name with a cursor", async () => {
    const prefix = `flows-test-${Date.now()}`;
    const first = await api.post("/api/flows", { name: `${prefix}-b`, tags: ["t"] });
    const again = await api.post("/api/flows", { name: `${prefix}-b`, tags: ["other"] });
    expect(again.body).toEqual(first.body);
    await api.post("/api/flows", { name: `${prefix}-a` });
    await api.post("/api/flows", { name: `${prefix}-c` });
    expect((await api.get(`/api/flows/${first.body.id}`)).body).toEqual(first.body);
    const page1 = await api.post("/api/flows/filter", { nameLike: prefix.toUpperCase(), limit: 2 });
    const page2 = await api.post("/api/flows/filter", {
      nameLike: prefix,
      limit: 2,
      cursor: page1.body.nextCursor,
    });
    const names = [...items<{ name: string }>(page1), ...items<{ name: string }>(page2)].map((f) => f.name);
    expect(names).toEqual([`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
    expect(page2.body.nextCursor).toBeNull();
    const missing = await api.get("/api/flows/00000000-0000-4000-8000-000000000000");
    expect(missing).toMatchObject({ status: 404, body: { code: "flow_not_found" } });
  });
});

describe("documents and pages", () => {
  it("serves the OpenAPI document, identical to the committed docs/openapi.json", async () => {
    const served = await api.get("/api/openapi.json");
    expect(served.status).toBe(200);
    expect(served.body.openapi).toBe("3.1.0");
    expect(Object.keys(served.body.paths as object)).toContain("/api/flow-runs/{id}/set-state");
    const committed = readFileSync(
      fileURLToPath(new URL("../../../../docs/openapi.json", import.meta.url)),
      "utf8",
    );
    const current = formatOpenApiDocument(createOpenApiDocument());
    // When this fails: node --conditions=@sluice/source --import tsx packages/server/scripts/write-openapi.ts
    expect(committed, "docs/openapi.json is stale; run packages/server/scripts/write-openapi.ts").toBe(
      current,
    );
    expect(served.body).toEqual(JSON.parse(current));
  });

  it("renders every operation and schema when the reference page's script runs", async () => {
    const page = (await api.get("/api/docs")).body as string;
    const script = /<script>([\s\S]*)<\/script>/.exec(page)?.[1];
    expect(script).toBeDefined();
    const document = (await api.get("/api/openapi.json")).body as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    const target: { innerHTML?: string; textContent?: string } = {};
    const fakeFetch = () => Promise.resolve({ json: () => Promise.resolve(document) });
    // Runs the page's own inline script against a stub document and fetch.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const run = new Function("document", "fetch", script!) as (doc: unknown, fetcher: unknown) => void;
    run({ getElementById: () => target }, fakeFetch);
    const html = await waitFor(async () => target.innerHTML ?? target.textContent);
    for (const operations of Object.values(document.paths)) {
      for (const operation of Object.values(operations)) expect(html).toContain(operation.operationId);
    }
    expect(html).toContain('<a href="#schema-FlowRun">FlowRun</a>');
    expect(html).toContain("id='schema-FlowRun'");
  });

  it("serves a self-contained API reference", async () => {
    const docs = await api.get("/api/docs");
    expect(docs.body).toContain("Sluice API reference");
    expect(docs.body).toContain('fetch("/api/openapi.json")');
    expect(docs.body).not.toMatch(/<script[^>]+src=/);
  });
});

describe("error handler", () => {
  const appOver = (failure: Error, lines: string[]) => {
    const fail = (): never => {
      throw failure;
    };
    const db: Database = {
      kind: "postgres",
      get db(): never {
        return fail();
      },
      ping: fail,
      close: async () => {},
    };
    return createApp({
      db,
      clock: systemClock,
      logger: createLogger("debug", (l) => lines.push(l)),
      config: loadServerConfig({}),
      events: new LocalEventBus(),
      keyring: new Keyring(generateEncryptionKey()),
    });
  };

  it("turns an unknown error into a 500 that leaks nothing, and logs it", async () => {
    const lines: string[] = [];
    const res = await appOver(new Error("secret connection string"), lines).request("/api/flows/filter", {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ code: "internal_error", message: "internal server error" });
    expect(text).not.toContain("secret");
    expect(lines.some((l) => l.includes("secret connection string"))).toBe(true);
  });

  it("turns a lost connection into 503 database_unavailable, and the ready probe into 503", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    const app = appOver(refused, []);
    const res = await app.request("/api/flows/00000000-0000-4000-8000-000000000000");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: "database_unavailable" });
    const ready = await app.request("/api/ready");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "unavailable", database: "postgres" });
  });
});
