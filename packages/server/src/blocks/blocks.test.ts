import { randomUUID } from "node:crypto";
import { SECRET_MASK } from "@sluice/contracts";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../db/database.js";
import { startServer } from "../server.js";
import { createScratchDatabase } from "../testing/scratch-database.js";
import { startTestServer, TEST_ENCRYPTION_KEY, type TestServer } from "../testing/start-test-server.js";
import { issuePaths, items, testHttp } from "../testing/test-http.js";

let server: TestServer;
let api: ReturnType<typeof testHttp>;
// Names unique per run: on PostgreSQL the test database is shared and kept between runs.
const suffix = randomUUID().slice(0, 8);
const name = (base: string) => `${base}-${suffix}`;
const SECRET = `s3cr3t-${randomUUID()}`;

const bucketData = (overrides: Record<string, unknown> = {}) => ({
  bucket: "results",
  endpoint: "http://127.0.0.1:9000",
  forcePathStyle: true,
  credentials: { accessKeyId: "minio", secretAccessKey: SECRET },
  ...overrides,
});

beforeAll(async () => {
  server = await startTestServer();
  api = testHttp(server.url);
});
afterAll(() => server.close());

describe("block types", () => {
  it("lists the built-in types from code, which cannot be changed or deleted", async () => {
    const listed = await api.get("/api/block-types");
    const slugs = items<{ slug: string; builtIn: boolean }>(listed)
      .filter((t) => t.builtIn)
      .map((t) => t.slug);
    expect(slugs).toEqual(
      expect.arrayContaining(["json", "local-file-system", "s3-bucket", "secret", "webhook"]),
    );
    const s3 = await api.get("/api/block-types/s3-bucket");
    expect(s3.body).toMatchObject({
      slug: "s3-bucket",
      builtIn: true,
      secretFields: ["credentials.secretAccessKey", "credentials.sessionToken"],
      schema: { type: "object", required: ["bucket"] },
    });
    const changed = await api.put("/api/block-types/secret", { schema: { type: "object" } });
    expect(changed).toMatchObject({ status: 409, body: { code: "block_type_built_in" } });
    const deleted = await api.delete("/api/block-types/s3-bucket");
    expect(deleted).toMatchObject({ status: 409, body: { code: "block_type_built_in" } });
    const missing = await api.get("/api/block-types/no-such-type");
    expect(missing).toMatchObject({
      status: 404,
      body: { code: "block_type_not_found", details: { slug: "no-such-type" } },
    });
  });

  const adminUrl = process.env.SLUICE_TEST_DATABASE_URL;
  it.skipIf(!adminUrl)("are installed once when two servers start at once on a fresh database", async () => {
    const scratch = await createScratchDatabase(adminUrl!, "block_types");
    try {
      const start = () =>
        startServer({
          host: "127.0.0.1",
          port: 0,
          databaseUrl: scratch.url,
          encryptionKey: TEST_ENCRYPTION_KEY,
          logLevel: "silent",
          services: false,
        });
      const servers = await Promise.all([start(), start()]);
      await Promise.all(servers.map((s) => s.close()));
      const db = await openDatabase({ databaseUrl: scratch.url });
      try {
        const rows = await db.db
          .selectFrom("block_types")
          .select("slug")
          .where("built_in", "=", true)
          .execute();
        expect(rows.map((r) => r.slug).sort()).toEqual([
          "json",
          "local-file-system",
          "s3-bucket",
          "secret",
          "webhook",
        ]);
      } finally {
        await db.close();
      }
    } finally {
      await scratch.drop();
    }
  });

  it("registers a custom type, refuses to delete it while used, deletes it when unused", async () => {
    const slug = name("database");
    const schema = {
      type: "object",
      properties: {
        host: { type: "string" },
        auth: { type: "object", properties: { password: { type: "string" } } },
      },
      required: ["host"],
    };
    const created = await api.put(`/api/block-types/${slug}`, {
      name: "Database",
      schema,
      secretFields: ["auth.password"],
    });
    expect(created).toMatchObject({
      status: 200,
      body: { slug, name: "Database", builtIn: false, secretFields: ["auth.password"] },
    });
    const block = await api.put(`/api/blocks/${slug}/main`, {
      data: { host: "db", auth: { password: SECRET } },
    });
    expect(block.body).toMatchObject({ data: { host: "db", auth: { password: SECRET_MASK } } });
    const inUse = await api.delete(`/api/block-types/${slug}`);
    expect(inUse).toMatchObject({
      status: 409,
      body: { code: "block_type_in_use", details: { slug, blocks: 1 } },
    });
    expect((await api.delete(`/api/blocks/${slug}/main`)).status).toBe(200);
    expect((await api.delete(`/api/block-types/${slug}`)).status).toBe(200);
    expect((await api.get(`/api/block-types/${slug}`)).status).toBe(404);
  });

  it("refuses a type whose secret fields the schema does not declare, or an unusable schema", async () => {
    const slug = name("bad-type");
    const undeclared = await api.put(`/api/block-types/${slug}`, {
      schema: { type: "object", properties: { token: { type: "string" } } },
      secretFields: ["token", "tokne"],
    });
    expect(undeclared.status).toBe(400);
    expect(issuePaths(undeclared)).toEqual(["body.secretFields.1"]);
    const unusable = await api.put(`/api/block-types/${slug}`, {
      schema: { type: "object", properties: { a: { type: "nope" } } },
    });
    expect(unusable.status).toBe(400);
    expect(issuePaths(unusable)).toEqual(["body.schema"]);
  });
});

describe("blocks", () => {
  it("stores no plaintext: the secret is in no column of the blocks table", async () => {
    const saved = await api.put(`/api/blocks/s3-bucket/${name("raw")}`, { data: bucketData() });
    expect(saved.status).toBe(200);
    const rows = await sql<{
      row: string;
    }>`select row_to_json(b)::text as row from blocks b where b.id = ${saved.body.id}`.execute(server.db.db);
    expect(rows.rows).toHaveLength(1);
    const row = rows.rows[0]!.row;
    expect(row).not.toContain(SECRET);
    expect(row).not.toContain(Buffer.from(SECRET).toString("hex"));
    // Nor the non-secret fields: the whole data is encrypted.
    expect(row).not.toContain(Buffer.from("minio").toString("hex"));
    expect(row).toMatch(/"key_id":"[0-9a-f]{16}"/);
  });

  it("masks secret fields unless includeSecrets=true", async () => {
    const block = name("masked");
    const saved = await api.put(`/api/blocks/s3-bucket/${block}`, { data: bucketData() });
    expect(saved.body).toMatchObject({
      name: block,
      blockType: "s3-bucket",
      secretsIncluded: false,
      secretFields: ["credentials.secretAccessKey", "credentials.sessionToken"],
      data: { bucket: "results", credentials: { accessKeyId: "minio", secretAccessKey: SECRET_MASK } },
    });
    // A secret field that is absent stays absent rather than appearing as a mask.
    expect(saved.body.data.credentials).not.toHaveProperty("sessionToken");
    const read = await api.get(`/api/blocks/s3-bucket/${block}`);
    expect(JSON.stringify(read.body)).not.toContain(SECRET);
    expect(read.body.data.credentials.secretAccessKey).toBe(SECRET_MASK);
    const revealed = await api.get(`/api/blocks/s3-bucket/${block}?includeSecrets=true`);
    expect(revealed.body).toMatchObject({ secretsIncluded: true, data: bucketData() });
    const secret = await api.put(`/api/blocks/secret/${name("token")}`, { data: { value: SECRET } });
    expect(secret.body.data).toEqual({ value: SECRET_MASK });
    const hook = await api.put(`/api/blocks/webhook/${name("hook")}`, {
      data: { url: `https://hooks.example.com/${SECRET}`, headers: { authorization: SECRET } },
    });
    expect(hook.body.data).toEqual({ url: SECRET_MASK, headers: SECRET_MASK });
  });

  it("refuses to replace a block without overwrite; overwrite keeps secrets sent back masked", async () => {
    const block = name("round-trip");
    const path = `/api/blocks/s3-bucket/${block}`;
    const first = await api.put(path, { data: bucketData() });
    const again = await api.put(path, { data: bucketData({ bucket: "other" }) });
    expect(again).toMatchObject({
      status: 409,
      body: { code: "block_exists", details: { blockType: "s3-bucket", name: block } },
    });
    const read = await api.get(path);
    const edited = { ...read.body.data, bucket: "edited" };
    const overwritten = await api.put(path, { data: edited, overwrite: true });
    expect(overwritten.status).toBe(200);
    expect(overwritten.body).toMatchObject({ id: first.body.id, createdAt: first.body.createdAt });
    const revealed = await api.get(`${path}?includeSecrets=true`);
    expect(revealed.body.data).toMatchObject({ bucket: "edited", credentials: { secretAccessKey: SECRET } });
    // A new value replaces the stored one.
    await api.put(path, {
      data: bucketData({ credentials: { accessKeyId: "minio", secretAccessKey: "rotated" } }),
      overwrite: true,
    });
    expect((await api.get(`${path}?includeSecrets=true`)).body.data.credentials.secretAccessKey).toBe(
      "rotated",
    );
  });

  it("refuses a mask where nothing is stored behind it", async () => {
    const masked = await api.put(`/api/blocks/secret/${name("masked-new")}`, {
      data: { value: SECRET_MASK },
    });
    expect(masked.status).toBe(400);
    expect(issuePaths(masked)).toEqual(["data.value"]);
  });

  it("validates data against the type's schema, naming each field", async () => {
    const block = name("invalid");
    const missing = await api.put(`/api/blocks/s3-bucket/${block}`, {
      data: { endpoint: "not a url", credentials: { accessKeyId: "minio", secretAccessKey: 7 }, extra: true },
    });
    expect(missing).toMatchObject({ status: 400, body: { code: "validation_failed" } });
    expect(issuePaths(missing)).toEqual(
      expect.arrayContaining([
        "data.bucket",
        "data.endpoint",
        "data.credentials.secretAccessKey",
        "data.extra",
      ]),
    );
    expect(missing.body.message).toContain(`s3-bucket/${block}`);
    expect(JSON.stringify(missing.body)).not.toContain("not a url");
    expect((await api.get(`/api/blocks/s3-bucket/${block}`)).status).toBe(404);
  });

  it("answers 404 naming an unknown type or block", async () => {
    const unknownType = await api.put(`/api/blocks/s4-bucket/${name("x")}`, { data: {} });
    expect(unknownType).toMatchObject({
      status: 404,
      body: { code: "block_type_not_found", details: { slug: "s4-bucket" } },
    });
    expect(unknownType.body.message).toContain('"s4-bucket"');
    const missing = await api.get(`/api/blocks/secret/${name("missing")}`);
    expect(missing).toMatchObject({
      status: 404,
      body: { code: "block_not_found", message: `no block secret/${name("missing")}` },
    });
    const badName = await api.put("/api/blocks/secret/Bad_Name", { data: { value: "x" } });
    expect(issuePaths(badName)).toContain("params.name");
  });

  it("deletes a block", async () => {
    const path = `/api/blocks/json/${name("doomed")}`;
    expect((await api.put(path, { data: { value: [1, { a: null }] } })).body.data).toEqual({
      value: [1, { a: null }],
    });
    expect((await api.delete(path)).status).toBe(200);
    expect((await api.get(path)).status).toBe(404);
    expect((await api.delete(path)).status).toBe(404);
  });

  it("lists blocks by type and name, masked, a page at a time", async () => {
    const list = randomUUID().slice(0, 8);
    for (const n of ["a", "b", "c"]) {
      await api.put(`/api/blocks/secret/${n}-${list}`, { data: { value: SECRET } });
    }
    await api.put(`/api/blocks/json/d-${list}`, { data: { value: 1 } });
    const first = await api.post("/api/blocks/filter", { nameLike: list, blockType: "secret", limit: 2 });
    expect(items<{ name: string }>(first).map((b) => b.name)).toEqual([`a-${list}`, `b-${list}`]);
    expect(JSON.stringify(first.body)).not.toContain(SECRET);
    const next = await api.post("/api/blocks/filter", {
      nameLike: list,
      blockType: "secret",
      cursor: first.body.nextCursor,
    });
    expect(items<{ name: string }>(next).map((b) => b.name)).toEqual([`c-${list}`]);
    const all = await api.post("/api/blocks/filter", { nameLike: list });
    expect(items<{ blockType: string }>(all).map((b) => b.blockType)).toEqual([
      "secret",
      "secret",
      "secret",
      "json",
    ]);
    const unknown = await api.post("/api/blocks/filter", { blockType: "nope" });
    expect(unknown).toMatchObject({ status: 404, body: { code: "block_type_not_found" } });
  });
});
