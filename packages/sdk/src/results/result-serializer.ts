import type { ResultRef } from "@sluice/contracts";
import { storageFromRef } from "../storage/result-storage.js";
import type { ResultStore } from "../storage/storage.js";

/** A result could not be serialised as JSON (a cycle, a BigInt, ...). */
export class ResultSerializationError extends Error {
  override readonly name = "ResultSerializationError";
}

/** Characters of JSON text encoded at a time when streaming a large result. */
const CHUNK_CHARS = 1 << 20;

/**
 * The text as UTF-8 chunks, without ever encoding it whole. A chunk never ends between the two
 * halves of a surrogate pair, which would encode as U+FFFD.
 */
function* utf8Chunks(text: string): Generator<Uint8Array> {
  for (let start = 0; start < text.length;) {
    let end = Math.min(start + CHUNK_CHARS, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    yield Buffer.from(text.slice(start, end), "utf8");
    start = end;
  }
}

/**
 * Stores a value under `key` and returns its reference. Bytes (Uint8Array) are stored as they are
 * (serializer "bytes"); anything else is serialised once as JSON and streamed to the store in chunks.
 */
export async function persistResult(store: ResultStore, key: string, value: unknown): Promise<ResultRef> {
  if (value instanceof Uint8Array) {
    await store.write(key, value, { contentType: "application/octet-stream" });
    return { storage: store.name, key, serializer: "bytes", sizeBytes: value.byteLength };
  }
  let text: string;
  try {
    text = JSON.stringify(value === undefined ? null : value);
  } catch (error) {
    throw new ResultSerializationError(`the result cannot be stored as JSON: ${String(error)}`, {
      cause: error,
    });
  }
  const sizeBytes = Buffer.byteLength(text, "utf8");
  await store.write(key, text.length <= CHUNK_CHARS ? text : utf8Chunks(text), {
    contentType: "application/json",
  });
  return { storage: store.name, key, serializer: "json", sizeBytes };
}

/**
 * Reads a persisted result back. The reference names its storage: `store` when the names match,
 * else the storage the name refers to ("local", or a storage block loaded through the API).
 */
export async function readResult<T = unknown>(
  store: ResultStore,
  ref: ResultRef,
  resolve: (name: string) => ResultStore = storageFromRef,
): Promise<T> {
  const source = ref.storage === store.name ? store : resolve(ref.storage);
  const bytes = await source.read(ref.key);
  if (ref.serializer === "bytes") return bytes as T;
  return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8")) as T;
}
