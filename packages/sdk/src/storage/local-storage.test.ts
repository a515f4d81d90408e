import { mkdtempSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { LocalStorage } from "./local-storage.js";
import { readAll } from "./storage-body.js";
import { StorageError } from "./storage-error.js";

const newStorage = () => new LocalStorage(join(mkdtempSync(join(tmpdir(), "sluice-local-")), "storage"));

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StorageError);
  return (error as StorageError).reason;
}

describe("LocalStorage", () => {
  it("writes bytes, text, streams and iterables, and reads them back", async () => {
    const storage = newStorage();
    await storage.write("a/text.txt", "hello");
    await storage.write("a/bytes.bin", new Uint8Array([1, 2]));
    await storage.write("b/stream.txt", Readable.from(["str", "eam"]));
    await storage.write(
      "b/iter.txt",
      (async function* () {
        yield "it";
        yield new TextEncoder().encode("er");
      })(),
    );
    expect(Buffer.from(await storage.read("a/text.txt")).toString()).toBe("hello");
    expect([...(await storage.read("a/bytes.bin"))]).toEqual([1, 2]);
    expect(Buffer.from(await readAll(await storage.readStream("b/stream.txt"))).toString()).toBe("stream");
    expect(Buffer.from(await storage.read("b/iter.txt")).toString()).toBe("iter");
  });

  it("lists by prefix, skipping metadata and temporary files", async () => {
    const storage = newStorage();
    await storage.write("results/1.json", "1", {
      contentType: "application/json",
      metadata: { Commit: "c1" },
    });
    await storage.write("results/2.json", "2");
    await storage.write("resultsx/3.json", "3");
    await storage.write("cache/k.json", "k");
    expect(await storage.list("results/")).toEqual(["results/1.json", "results/2.json"]);
    expect(await storage.list("results")).toEqual(["results/1.json", "results/2.json", "resultsx/3.json"]);
    expect(await storage.list()).toEqual([
      "cache/k.json",
      "results/1.json",
      "results/2.json",
      "resultsx/3.json",
    ]);
    expect(await storage.list("nothing/")).toEqual([]);
    expect((await readdir(storage.basePath)).sort()).toEqual([".sluice", "cache", "results", "resultsx"]);
  });

  it("keeps content type and metadata beside the value, and drops them on overwrite and delete", async () => {
    const storage = newStorage();
    await storage.write("m.json", "{}", {
      contentType: "application/json",
      metadata: { "Date-Created": "d" },
    });
    expect(await storage.stat("m.json")).toMatchObject({
      key: "m.json",
      sizeBytes: 2,
      contentType: "application/json",
      metadata: { "date-created": "d" },
    });
    await storage.write("m.json", "[]");
    expect(await storage.stat("m.json")).toMatchObject({ contentType: undefined, metadata: {} });
    await storage.delete("m.json");
    expect(await storage.exists("m.json")).toBe(false);
    expect(await reasonOf(storage.stat("m.json"))).toBe("key_missing");
    expect(await reasonOf(storage.readStream("m.json"))).toBe("key_missing");
    await storage.delete("m.json");
  });

  it("refuses keys that escape the directory or use the reserved prefix", async () => {
    const storage = newStorage();
    for (const key of [
      "../x",
      "a/../../x",
      "/etc/passwd",
      "a\\..\\..\\x",
      "",
      "a\0b",
      ".",
      "a//b",
      "C:/x",
      ".sluice/meta/x",
    ]) {
      expect(await reasonOf(storage.write(key, "x")), key).toBe("invalid_key");
      expect(await reasonOf(storage.read(key)), key).toBe("invalid_key");
    }
    expect(await reasonOf(storage.list("../"))).toBe("invalid_key");
    expect(await storage.list()).toEqual([]);
  });

  it("says why a write failed when a key's directory is a value", async () => {
    const storage = newStorage();
    await storage.write("a", "file");
    const error = await storage.write("a/b", "x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ reason: "failed", key: "a/b" });
    expect((error as Error).message).toBe('storage operation failed (storage local, key "a/b"): EEXIST');
  });

  it("leaves no temporary file behind when a streamed write fails", async () => {
    const storage = newStorage();
    const failing = (async function* () {
      yield "part";
      throw new Error("source broke");
    })();
    const error = await storage.write("broken.txt", failing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toContain('key "broken.txt"');
    expect(await storage.exists("broken.txt")).toBe(false);
    expect(await readdir(join(storage.basePath, ".sluice", "tmp"))).toEqual([]);
  });
});
