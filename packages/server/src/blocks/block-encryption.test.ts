import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, statSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../clock.js";
import { createLogger } from "../logger.js";
import { startServer, type RunningServer } from "../server.js";
import { startTestServer, type TestServer } from "../testing/start-test-server.js";
import { testHttp } from "../testing/test-http.js";
import { prepareBlocks } from "./block-startup.js";
import { generateEncryptionKey } from "./encryption/encryption-key.js";
import { keyFilePath } from "./encryption/key-file.js";
import { Keyring } from "./encryption/keyring.js";

const [oldKey, newKey] = [generateEncryptionKey(), generateEncryptionKey()];
const SECRET = `s3cr3t-${randomUUID()}`;
const suffix = randomUUID().slice(0, 8);
let owner: TestServer;
const others: RunningServer[] = [];

/** Another server over the owner's database, holding other keys (as a second replica would). */
async function replica(encryptionKey: string, previousEncryptionKeys: string[] = []) {
  const server = await startServer({
    host: "127.0.0.1",
    port: 0,
    database: owner.db,
    migrateOnStart: false,
    logLevel: "silent",
    services: false,
    encryptionKey,
    previousEncryptionKeys,
  });
  others.push(server);
  return testHttp(server.url);
}

beforeAll(async () => {
  // A database of its own on PostgreSQL: blocks under stray keys would trouble other files' listings.
  owner = await startTestServer({ ownDatabase: true, encryptionKey: oldKey.toBase64() });
  const api = testHttp(owner.url);
  for (const name of ["a", "b", "c"]) {
    const saved = await api.put(`/api/blocks/secret/${name}-${suffix}`, { data: { value: SECRET } });
    expect(saved.status).toBe(200);
  }
});
afterAll(async () => {
  await Promise.all(others.map((server) => server.close()));
  await owner.close();
});

describe("block encryption across keys", () => {
  it("a server without the sealing key answers 500 encryption_key_mismatch naming the block and keys", async () => {
    const stranger = await replica(newKey.toBase64());
    const read = await stranger.get(`/api/blocks/secret/a-${suffix}?includeSecrets=true`);
    expect(read).toMatchObject({
      status: 500,
      body: {
        code: "encryption_key_mismatch",
        details: {
          block: `secret/a-${suffix}`,
          keyId: oldKey.id,
          serverKeyIds: [newKey.id],
          reason: "unknown_key",
        },
      },
    });
    expect(read.body.message).toContain(`secret/a-${suffix}`);
    expect(JSON.stringify(read.body)).not.toContain(SECRET);
    const listed = await stranger.post("/api/blocks/filter", { nameLike: suffix });
    expect(listed).toMatchObject({ status: 500, body: { code: "encryption_key_mismatch" } });
  });

  it("a server holding the old key as a previous key reads old blocks and seals new ones under its key", async () => {
    const rotated = await replica(newKey.toBase64(), [oldKey.toBase64()]);
    const read = await rotated.get(`/api/blocks/secret/a-${suffix}?includeSecrets=true`);
    expect(read.body.data).toEqual({ value: SECRET });
    await rotated.put(`/api/blocks/secret/new-${suffix}`, { data: { value: SECRET } });
    const rows = await owner.db.db
      .selectFrom("blocks")
      .select(["name", "key_id"])
      .where("name", "like", `%-${suffix}`)
      .orderBy("name")
      .execute();
    expect(rows.map((r) => [r.name, r.key_id])).toEqual([
      [`a-${suffix}`, oldKey.id],
      [`b-${suffix}`, oldKey.id],
      [`c-${suffix}`, oldKey.id],
      [`new-${suffix}`, newKey.id],
    ]);
  });

  it("refuses altered ciphertext, and ciphertext copied from another block", async () => {
    const api = testHttp(owner.url);
    // Flips every bit of the first byte, so the ciphertext changes whatever that byte was.
    await sql`update blocks set ciphertext = set_byte(ciphertext, 0, get_byte(ciphertext, 0) # 255)
      where name = ${`b-${suffix}`}`.execute(owner.db.db);
    const altered = await api.get(`/api/blocks/secret/b-${suffix}`);
    expect(altered).toMatchObject({
      status: 500,
      body: {
        code: "encryption_key_mismatch",
        details: { block: `secret/b-${suffix}`, reason: "authentication_failed" },
      },
    });
    // c gets a's sealed bytes verbatim: same key, but bound to a's id.
    await sql`update blocks set (ciphertext, iv, auth_tag) =
      (select ciphertext, iv, auth_tag from blocks where name = ${`a-${suffix}`})
      where name = ${`c-${suffix}`}`.execute(owner.db.db);
    const copied = await api.get(`/api/blocks/secret/c-${suffix}?includeSecrets=true`);
    expect(copied).toMatchObject({ status: 500, body: { details: { reason: "authentication_failed" } } });
    expect(JSON.stringify(copied.body)).not.toContain(SECRET);
  });

  it("at start, warns with the count of blocks the server cannot decrypt, never their data", async () => {
    const lines: string[] = [];
    const logger = createLogger("warn", (line) => lines.push(line));
    await prepareBlocks({ db: owner.db, clock: systemClock, keyring: new Keyring(oldKey), logger });
    const warning = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((l) => l.level === "warn");
    expect(warning).toMatchObject({
      message: "1 block cannot be decrypted with this server's keys",
      count: 1,
      blockKeyIds: [newKey.id],
    });
    expect(warning?.examples).toEqual([`secret/new-${suffix}`]);
    expect(lines.join("\n")).not.toContain(SECRET);
  });
});

describe("a server's own key", () => {
  it("refuses to start on PostgreSQL without SLUICE_ENCRYPTION_KEY, before touching the database", async () => {
    const saved = process.env.SLUICE_ENCRYPTION_KEY;
    delete process.env.SLUICE_ENCRYPTION_KEY;
    try {
      await expect(
        startServer({ port: 0, databaseUrl: "postgres://postgres@127.0.0.1:1/none", logLevel: "silent" }),
      ).rejects.toThrow(/SLUICE_ENCRYPTION_KEY is required.*openssl rand -base64 32/);
    } finally {
      if (saved !== undefined) process.env.SLUICE_ENCRYPTION_KEY = saved;
    }
  });

  it("is generated into SLUICE_HOME on an embedded server's first start (0600) and kept across restarts", async () => {
    const home = mkdtempSync(join(tmpdir(), "sluice-embedded-key-"));
    try {
      const first = await startServer({ port: 0, home, logLevel: "silent", services: false });
      await testHttp(first.url).put("/api/blocks/secret/kept", { data: { value: SECRET } });
      await first.close();
      if (process.platform !== "win32") expect(statSync(keyFilePath(home)).mode & 0o777).toBe(0o600);
      const second = await startServer({ port: 0, home, logLevel: "silent", services: false });
      const read = await testHttp(second.url).get("/api/blocks/secret/kept?includeSecrets=true");
      await second.close();
      expect(read.body.data).toEqual({ value: SECRET });
      if (process.platform === "win32") return;
      chmodSync(keyFilePath(home), 0o640);
      await expect(startServer({ port: 0, home, logLevel: "silent", services: false })).rejects.toThrow(
        `chmod 600 ${keyFilePath(home)}`,
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);
});
