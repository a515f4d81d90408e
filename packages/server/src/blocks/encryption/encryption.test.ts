import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadServerConfig } from "../../config.js";
import { generateEncryptionKey, InvalidEncryptionKeyError, parseEncryptionKey } from "./encryption-key.js";
import { keyFilePath, loadOrCreateKeyFile, nextKeyFilePath, writeKeyFileExclusive } from "./key-file.js";
import { DecryptionError, Keyring } from "./keyring.js";
import { loadKeyring } from "./load-keyring.js";

const dirs: string[] = [];
const tempHome = () => {
  const dir = mkdtempSync(join(tmpdir(), "sluice-keys-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("encryption keys", () => {
  const bytes = randomBytes(32);

  it("parse from base64, base64url and hex to the same key and id", () => {
    const ids = [
      parseEncryptionKey(bytes.toString("base64")),
      parseEncryptionKey(`  ${bytes.toString("base64url")}\n`),
      parseEncryptionKey(bytes.toString("hex")),
    ].map((key) => key.id);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[0-9a-f]{16}$/);
  });

  it("refuse anything else without repeating it", () => {
    for (const bad of ["short", bytes.subarray(0, 16).toString("base64"), `${bytes.toString("hex")}00`]) {
      const attempt = () => parseEncryptionKey(bad);
      expect(attempt).toThrow(InvalidEncryptionKeyError);
      expect(attempt).toThrow(/32 bytes as base64/);
      expect(attempt).not.toThrow(bad);
    }
  });

  it("print and serialise as their id only", () => {
    const key = parseEncryptionKey(bytes.toString("base64"));
    const shown = [JSON.stringify({ key }), inspect({ key }), String(key)].join(" ");
    expect(shown).toContain(key.id);
    expect(shown).not.toContain(bytes.toString("base64"));
    expect(shown).not.toContain(bytes.toString("hex"));
  });

  it("come from SLUICE_ENCRYPTION_KEY and SLUICE_ENCRYPTION_PREVIOUS_KEYS; a bad one is a ConfigError naming the variable only", () => {
    const [a, b] = [generateEncryptionKey(), generateEncryptionKey()];
    const config = loadServerConfig({
      SLUICE_ENCRYPTION_KEY: a.toBase64(),
      SLUICE_ENCRYPTION_PREVIOUS_KEYS: ` ${b.toBase64()} ,, ${a.toBase64()}`,
    });
    expect(config.encryptionKey?.id).toBe(a.id);
    expect(config.previousEncryptionKeys.map((k) => k.id)).toEqual([b.id, a.id]);
    const secretLooking = "hunter2-not-a-key";
    for (const variable of ["SLUICE_ENCRYPTION_KEY", "SLUICE_ENCRYPTION_PREVIOUS_KEYS"]) {
      try {
        loadServerConfig({ [variable]: `${a.toBase64()},${secretLooking}` });
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).variables).toEqual([variable]);
        expect((error as Error).message).toContain(variable);
        expect((error as Error).message).not.toContain(secretLooking);
        expect((error as Error).message).not.toContain(a.toBase64());
      }
    }
  });
});

describe("the keyring", () => {
  const [primary, previous, stranger] = [
    generateEncryptionKey(),
    generateEncryptionKey(),
    generateEncryptionKey(),
  ];

  it("seals under the primary key with a fresh IV, and opens under any key it holds", () => {
    const ring = new Keyring(primary, [previous]);
    const one = ring.seal("hello", "block-1");
    const two = ring.seal("hello", "block-1");
    expect(one.keyId).toBe(primary.id);
    expect(one.iv).toHaveLength(12);
    expect(one.authTag).toHaveLength(16);
    expect(one.iv.equals(two.iv)).toBe(false);
    expect(one.ciphertext.equals(two.ciphertext)).toBe(false);
    expect(ring.open(one, "block-1")).toBe("hello");
    const old = new Keyring(previous).seal("from before", "block-2");
    expect(ring.open(old, "block-2")).toBe("from before");
    expect(ring.keyIds).toEqual([primary.id, previous.id]);
  });

  it("refuses a key it does not hold, naming both key ids", () => {
    const sealed = new Keyring(stranger).seal("secret text", "block-1");
    const attempt = () => new Keyring(primary, [previous]).open(sealed, "block-1");
    expect(attempt).toThrow(DecryptionError);
    expect(attempt).toThrow(new RegExp(`${stranger.id}.*${primary.id}, ${previous.id}`));
  });

  it("refuses altered bytes, an altered tag and another owner's associated data", () => {
    const ring = new Keyring(primary);
    const sealed = ring.seal("secret text", "block-1");
    const flipped = Buffer.from(sealed.ciphertext);
    flipped[0] = flipped[0]! ^ 1;
    const attempts = [
      { ...sealed, ciphertext: flipped },
      { ...sealed, authTag: Buffer.alloc(16) },
    ].map((s) => () => ring.open(s, "block-1"));
    attempts.push(() => ring.open(sealed, "block-2"));
    for (const attempt of attempts) {
      expect(attempt).toThrow(DecryptionError);
      expect(attempt).toThrow(/failed authentication/);
      expect(attempt).not.toThrow(/secret text/);
    }
  });
});

describe("the embedded key file", () => {
  it("is generated once with mode 0600 and read back on the next start", () => {
    const home = tempHome();
    const first = loadOrCreateKeyFile(home, generateEncryptionKey);
    expect(first.created).toBe(true);
    if (process.platform !== "win32") expect(statSync(keyFilePath(home)).mode & 0o777).toBe(0o600);
    const second = loadOrCreateKeyFile(home, generateEncryptionKey);
    expect(second).toMatchObject({ created: false, next: undefined });
    expect(second.primary.id).toBe(first.primary.id);
  });

  it("is never overwritten: a second writer loses and the first key stays", () => {
    const home = tempHome();
    const key = generateEncryptionKey();
    writeKeyFileExclusive(keyFilePath(home), key);
    expect(() => writeKeyFileExclusive(keyFilePath(home), generateEncryptionKey())).toThrow(/already exists/);
    expect(loadOrCreateKeyFile(home, generateEncryptionKey).primary.id).toBe(key.id);
  });

  it.skipIf(process.platform === "win32")("is refused when other users can read it, saying chmod 600", () => {
    const home = tempHome();
    const path = keyFilePath(home);
    writeFileSync(path, `${generateEncryptionKey().toBase64()}\n`, { mode: 0o644 });
    chmodSync(path, 0o644);
    expect(() => loadOrCreateKeyFile(home, generateEncryptionKey)).toThrow(`chmod 600 ${path}`);
  });

  it("is refused when it holds no key, without repeating the content", () => {
    const home = tempHome();
    writeFileSync(keyFilePath(home), "not-a-key-at-all\n", { mode: 0o600 });
    const attempt = () => loadOrCreateKeyFile(home, generateEncryptionKey);
    expect(attempt).toThrow(`the encryption key file ${keyFilePath(home)} does not hold a key`);
    expect(attempt).not.toThrow(/not-a-key-at-all/);
  });

  it("comes with the key of a pending rotation (encryption.key.next), decrypt-only", () => {
    const home = tempHome();
    const current = loadOrCreateKeyFile(home, generateEncryptionKey).primary;
    const next = generateEncryptionKey();
    writeKeyFileExclusive(nextKeyFilePath(home), next);
    const ring = loadKeyring({
      encryptionKey: undefined,
      previousEncryptionKeys: [],
      home,
      storage: "pglite-file",
    });
    expect(ring.primary.id).toBe(current.id);
    expect(ring.keyIds).toEqual([current.id, next.id]);
    expect(readFileSync(nextKeyFilePath(home), "utf8").trim()).toBe(next.toBase64());
  });
});

describe("loadKeyring", () => {
  const settings = { encryptionKey: undefined, previousEncryptionKeys: [], home: "/nonexistent" };

  it("refuses PostgreSQL without SLUICE_ENCRYPTION_KEY, saying how to make one", () => {
    const attempt = () => loadKeyring({ ...settings, storage: "postgres" });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/SLUICE_ENCRYPTION_KEY is required.*openssl rand -base64 32/);
  });

  it("uses SLUICE_ENCRYPTION_KEY over any key file, and a throwaway key for an in-memory database", () => {
    const key = generateEncryptionKey();
    const previous = generateEncryptionKey();
    const ring = loadKeyring({
      ...settings,
      encryptionKey: key,
      previousEncryptionKeys: [previous],
      storage: "pglite-file",
    });
    expect(ring.keyIds).toEqual([key.id, previous.id]);
    const memory = loadKeyring({ ...settings, storage: "pglite-memory" });
    expect(memory.keyIds).toHaveLength(1);
  });
});
