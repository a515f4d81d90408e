import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cacheEntryKey } from "../caching/cache-policy.js";
import { lookupCache, writeCacheEntry } from "../caching/cache-index.js";
import { LocalStorage } from "../storage/local-storage.js";
import { StorageError } from "../storage/storage-error.js";
import { persistResult, readResult } from "./result-serializer.js";

const newStore = (name?: string) =>
  new LocalStorage(join(mkdtempSync(join(tmpdir(), "sluice-store-")), "storage"), { name });

describe("results in a storage", () => {
  it("keeps cache keys from user input inside cache/", async () => {
    const store = newStore();
    for (const cacheKey of ["../../escape", "..", "a/b/../../../c", "x".repeat(500)]) {
      const entryKey = cacheEntryKey(cacheKey);
      expect(entryKey).toMatch(/^cache\/[^/]+\.json$/);
      const ref = await persistResult(store, "results/r.json", { cacheKey });
      await writeCacheEntry(store, cacheKey, ref, null);
      expect((await lookupCache(store, cacheKey))?.value).toEqual({ cacheKey });
    }
    const keys = await store.list();
    expect(keys.every((key) => key.startsWith("cache/") || key === "results/r.json")).toBe(true);
  });

  it("round-trips JSON results and treats expired cache entries as misses", async () => {
    const store = newStore();
    const ref = await persistResult(store, "results/v.json", { a: [1, "b"] });
    expect(ref).toMatchObject({ storage: "local", serializer: "json", sizeBytes: 13 });
    expect(await readResult(store, ref)).toEqual({ a: [1, "b"] });
    expect((await store.stat("results/v.json")).contentType).toBe("application/json");
    await writeCacheEntry(store, "k", ref, new Date(Date.now() - 1).toISOString());
    expect(await lookupCache(store, "k")).toBeUndefined();
  });

  it("treats a cache entry whose value was deleted as a miss", async () => {
    const store = newStore();
    const ref = await persistResult(store, "results/gone.json", 1);
    await writeCacheEntry(store, "gone", ref, null);
    expect((await lookupCache(store, "gone"))?.value).toBe(1);
    await store.delete("results/gone.json");
    expect(await lookupCache(store, "gone")).toBeUndefined();
  });

  it("stores bytes as they are", async () => {
    const store = newStore();
    const bytes = new Uint8Array([0, 255, 7]);
    const ref = await persistResult(store, "results/b.bin", bytes);
    expect(ref).toMatchObject({ serializer: "bytes", sizeBytes: 3 });
    expect([...(await readResult<Uint8Array>(store, ref))]).toEqual([0, 255, 7]);
  });

  it("streams large JSON in chunks without splitting characters", async () => {
    const store = newStore();
    // 1 Mi characters and more: the chunk boundary falls inside the run of surrogate pairs.
    const value = { text: `${"a".repeat((1 << 20) - 9)}${"😀".repeat(1000)}é` };
    const ref = await persistResult(store, "results/large.json", value);
    expect(ref.sizeBytes).toBe(Buffer.byteLength(JSON.stringify(value)));
    expect((await store.stat("results/large.json")).sizeBytes).toBe(ref.sizeBytes);
    expect(await readResult(store, ref)).toEqual(value);
  });

  it("reads a result from the storage its reference names", async () => {
    const first = newStore("local-file-system/first");
    const other = newStore("local-file-system/other");
    const ref = await persistResult(first, "results/x.json", "in first");
    const resolve = (name: string) => {
      expect(name).toBe("local-file-system/first");
      return first;
    };
    expect(await readResult(other, ref, resolve)).toBe("in first");
  });

  it("fails with a StorageError naming the storage and key when the value is missing", async () => {
    const store = newStore();
    const error = await readResult(store, {
      storage: "local",
      key: "results/none.json",
      serializer: "json",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toBe('key missing (storage local, key "results/none.json")');
  });
});
