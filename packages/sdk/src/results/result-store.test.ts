import { mkdtempSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cacheEntryKey } from "../caching/cache-policy.js";
import { lookupCache, writeCacheEntry } from "../caching/cache-index.js";
import { persistResult, readResult } from "./result-serializer.js";
import { InvalidResultKeyError, LocalResultStore } from "./result-store.js";

const newStore = () => new LocalResultStore(join(mkdtempSync(join(tmpdir(), "sluice-store-")), "storage"));

describe("LocalResultStore", () => {
  it("writes, reads and checks keys", async () => {
    const store = newStore();
    expect(await store.exists("results/a.json")).toBe(false);
    await store.write("results/a.json", "hello");
    expect(new TextDecoder().decode(await store.read("results/a.json"))).toBe("hello");
    expect(await store.exists("results/a.json")).toBe(true);
  });

  it("refuses keys that escape the store directory", async () => {
    const store = newStore();
    for (const key of ["../x", "a/../../x", "/etc/passwd", "a\\..\\..\\x", "", "a\0b", "."]) {
      await expect(store.write(key, "x"), key).rejects.toBeInstanceOf(InvalidResultKeyError);
    }
  });

  it("keeps cache keys from user input inside cache/", async () => {
    const store = newStore();
    for (const cacheKey of ["../../escape", "..", "a/b/../../../c", "x".repeat(500)]) {
      const entryKey = cacheEntryKey(cacheKey);
      expect(entryKey).toMatch(/^cache\/[^/]+\.json$/);
      const ref = await persistResult(store, "results/r.json", { cacheKey });
      await writeCacheEntry(store, cacheKey, ref, null);
      expect((await lookupCache(store, cacheKey))?.value).toEqual({ cacheKey });
    }
    expect((await readdir(store.basePath)).sort()).toEqual(["cache", "results"]);
  });

  it("round-trips JSON results and treats expired cache entries as misses", async () => {
    const store = newStore();
    const ref = await persistResult(store, "results/v.json", { a: [1, "b"] });
    expect(ref).toMatchObject({ storage: "local", serializer: "json", sizeBytes: 13 });
    expect(await readResult(store, ref)).toEqual({ a: [1, "b"] });
    await writeCacheEntry(store, "k", ref, new Date(Date.now() - 1).toISOString());
    expect(await lookupCache(store, "k")).toBeUndefined();
  });
});
