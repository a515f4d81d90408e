import { ResultRef } from "@sluice/contracts";
import { z } from "zod";
import type { ResultStore } from "../storage/storage.js";
import { readResult } from "../results/result-serializer.js";
import { StorageError } from "../storage/storage-error.js";
import { cacheEntryKey } from "./cache-policy.js";

/** A cache entry as stored in the result store: where the value is and when it expires. */
const CacheEntry = z.object({
  cacheKey: z.string(),
  expiration: z.iso.datetime({ offset: true }).nullable(),
  result: ResultRef,
});
type CacheEntry = z.infer<typeof CacheEntry>;

/** A valid cached value and its entry. */
export interface CacheHit {
  entry: CacheEntry;
  value: unknown;
}

/**
 * Looks a cache key up in the store; undefined when absent, expired, unreadable, or its value is gone.
 * A storage that cannot be used (credentials, bucket, endpoint) is an error, not a miss.
 */
export async function lookupCache(
  store: ResultStore,
  cacheKey: string,
  resolve?: (name: string) => ResultStore,
  now = Date.now(),
): Promise<CacheHit | undefined> {
  const key = cacheEntryKey(cacheKey);
  try {
    if (!(await store.exists(key))) return undefined;
    const entry = CacheEntry.parse(JSON.parse(new TextDecoder().decode(await store.read(key))));
    if (entry.cacheKey !== cacheKey) return undefined;
    if (entry.expiration !== null && Date.parse(entry.expiration) <= now) return undefined;
    // A value deleted since is a miss: readResult's key_missing error is caught below.
    return { entry, value: await readResult(store, entry.result, resolve) };
  } catch (error) {
    if (error instanceof StorageError && error.reason !== "key_missing") throw error;
    return undefined;
  }
}

/** Records that `cacheKey` maps to `result` until `expiration` (null: never expires). */
export async function writeCacheEntry(
  store: ResultStore,
  cacheKey: string,
  result: ResultRef,
  expiration: string | null,
): Promise<void> {
  const entry: CacheEntry = { cacheKey, expiration, result };
  await store.write(cacheEntryKey(cacheKey), JSON.stringify(entry));
}
