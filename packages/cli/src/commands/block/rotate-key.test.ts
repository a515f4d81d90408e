import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  createScratchDatabase,
  generateEncryptionKey,
  Keyring,
  keyFilePath,
  nextKeyFilePath,
  openDatabase,
  readKeyFile,
  reencryptBlocks,
  startServer,
  writeKeyFileExclusive,
  type StartServerOptions,
} from "@sluice/server";
import { runCli } from "../../testing/run-cli.js";

const SECRET = `s3cr3t-${randomUUID()}`;
const NAMES = ["alpha", "beta", "gamma"];
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "sluice-rotate-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const quiet = { host: "127.0.0.1", port: 0, logLevel: "silent", services: false } as const;

/** Starts a server with `options`, runs `work` against its URL, closes it. */
async function withServer<T>(options: StartServerOptions, work: (url: string) => Promise<T>): Promise<T> {
  const server = await startServer({ ...quiet, ...options });
  try {
    return await work(server.url);
  } finally {
    await server.close();
  }
}

async function saveBlocks(url: string): Promise<void> {
  for (const name of NAMES) {
    const response = await fetch(`${url}/api/blocks/secret/${name}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: { value: `${SECRET}-${name}` } }),
    });
    expect(response.status).toBe(200);
  }
}

/** Reads every block with its secret; the status and body of the first failure otherwise. */
async function readBlocks(url: string): Promise<unknown> {
  const values: unknown[] = [];
  for (const name of NAMES) {
    const response = await fetch(`${url}/api/blocks/secret/${name}?includeSecrets=true`);
    const body = (await response.json()) as { data?: { value: unknown } };
    if (response.status !== 200) return { status: response.status, body };
    values.push(body.data?.value);
  }
  return values;
}

const expectedValues = NAMES.map((name) => `${SECRET}-${name}`);

describe("sluice block rotate-key on the embedded database", () => {
  it("re-encrypts every block under a new key file; the old key no longer reads them", async () => {
    const home = tempDir();
    await withServer({ home }, saveBlocks);
    const oldKey = readKeyFile(keyFilePath(home))!;
    const rotated = await runCli(["block", "rotate-key"], { SLUICE_HOME: home }, 120_000);
    expect(rotated.code, rotated.stderr).toBe(0);
    const newKey = readKeyFile(keyFilePath(home))!;
    expect(newKey.id).not.toBe(oldKey.id);
    expect(rotated.stdout).toContain(`Re-encrypted 3 blocks under key ${newKey.id}.`);
    expect(rotated.stdout).toContain(`from key ${oldKey.id}: 3`);
    expect(rotated.stdout + rotated.stderr).not.toContain(newKey.toBase64());
    expect(existsSync(nextKeyFilePath(home))).toBe(false);
    expect(statSync(keyFilePath(home)).mode & 0o777).toBe(0o600);
    expect(await withServer({ home }, readBlocks)).toEqual(expectedValues);
    const withOldKey = await withServer(
      { home, encryptionKey: oldKey.toBase64(), pgliteDataDir: join(home, "db") },
      readBlocks,
    );
    expect(withOldKey).toMatchObject({
      status: 500,
      body: {
        code: "encryption_key_mismatch",
        details: { block: "secret/alpha", keyId: newKey.id, serverKeyIds: [oldKey.id] },
      },
    });
  }, 180_000);

  it("finishes a rotation interrupted between its commit and the key file's rename", async () => {
    const home = tempDir();
    await withServer({ home }, saveBlocks);
    const oldKey = readKeyFile(keyFilePath(home))!;
    const newKey = generateEncryptionKey();
    // What a rotate-key that crashed after its commit leaves: rows under the new key, the key in .next.
    const db = await openDatabase({ pgliteDataDir: join(home, "db") });
    try {
      await reencryptBlocks(db, new Keyring(oldKey), newKey, () =>
        writeKeyFileExclusive(nextKeyFilePath(home), newKey),
      );
    } finally {
      await db.close();
    }
    // The server reads encryption.key.next too, so nothing is lost meanwhile.
    expect(await withServer({ home }, readBlocks)).toEqual(expectedValues);
    const finished = await runCli(["block", "rotate-key"], { SLUICE_HOME: home }, 120_000);
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stderr).toContain(
      `Finishing the rotation to the key in ${nextKeyFilePath(home)} (${newKey.id})`,
    );
    expect(readKeyFile(keyFilePath(home))?.id).toBe(newKey.id);
    expect(existsSync(nextKeyFilePath(home))).toBe(false);
    expect(await withServer({ home }, readBlocks)).toEqual(expectedValues);
  }, 180_000);

  it("refuses --new-key-out and an unreadable --new-key-file, changing nothing", async () => {
    const home = tempDir();
    await withServer({ home }, saveBlocks);
    const before = readFileSync(keyFilePath(home), "utf8");
    const out = await runCli(["block", "rotate-key", "--new-key-out", join(home, "k")], {
      SLUICE_HOME: home,
    });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("--new-key-out is for keys set with SLUICE_ENCRYPTION_KEY");
    writeFileSync(join(home, "bad.key"), "hunter2-not-a-key\n");
    const bad = await runCli(["block", "rotate-key", "--new-key-file", join(home, "bad.key")], {
      SLUICE_HOME: home,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("does not hold a key");
    expect(bad.stderr).not.toContain("hunter2");
    expect(readFileSync(keyFilePath(home), "utf8")).toBe(before);
  }, 120_000);
});

const adminUrl = process.env.SLUICE_TEST_DATABASE_URL;

describe.skipIf(!adminUrl)("sluice block rotate-key on PostgreSQL", () => {
  it("needs --new-key-out, writes the new key 0600 before committing, and says what to do next", async () => {
    const scratch = await createScratchDatabase(adminUrl!, "rotate");
    const out = join(tempDir(), "new.key");
    try {
      const oldKey = generateEncryptionKey();
      const server = await startServer({
        ...quiet,
        databaseUrl: scratch.url,
        encryptionKey: oldKey.toBase64(),
      });
      try {
        await saveBlocks(server.url);
        const env = { SLUICE_DATABASE_URL: scratch.url, SLUICE_ENCRYPTION_KEY: oldKey.toBase64() };
        const missingOut = await runCli(["block", "rotate-key"], env);
        expect(missingOut.code).toBe(2);
        expect(missingOut.stderr).toContain("--new-key-out PATH is required");
        const noKey = await runCli(["block", "rotate-key"], { SLUICE_DATABASE_URL: scratch.url });
        expect(noKey.code).toBe(1);
        expect(noKey.stderr).toContain("openssl rand -base64 32");
        const rotated = await runCli(["block", "rotate-key", "--new-key-out", out], env, 120_000);
        expect(rotated.code, rotated.stderr).toBe(0);
        const newKey = readKeyFile(out)!;
        expect(statSync(out).mode & 0o777).toBe(0o600);
        expect(rotated.stdout).toContain(`Re-encrypted 3 blocks under key ${newKey.id}.`);
        expect(rotated.stdout).toContain("set SLUICE_ENCRYPTION_KEY to the new key");
        expect(rotated.stdout).toContain("SLUICE_ENCRYPTION_PREVIOUS_KEYS");
        expect(rotated.stdout).not.toContain(newKey.toBase64());
        // The server still running with only the old key now gets the clear mismatch error.
        expect(await readBlocks(server.url)).toMatchObject({
          status: 500,
          body: { code: "encryption_key_mismatch", details: { keyId: newKey.id, serverKeyIds: [oldKey.id] } },
        });
        const again = await runCli(["block", "rotate-key", "--new-key-out", out], env);
        expect(again.code).toBe(2);
        expect(again.stderr).toContain("already exists");
      } finally {
        await server.close();
      }
      // A server given the new key reads every block.
      const newKeyText = readFileSync(out, "utf8").trim();
      expect(await withServer({ databaseUrl: scratch.url, encryptionKey: newKeyText }, readBlocks)).toEqual(
        expectedValues,
      );
    } finally {
      await scratch.drop();
    }
  }, 180_000);
});
