import type { ResultRef } from "@sluice/contracts";
import type { ResultStore } from "./result-store.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Serialises a value as JSON into the store under `key` and returns its reference. */
export async function persistResult(store: ResultStore, key: string, value: unknown): Promise<ResultRef> {
  const bytes = encoder.encode(JSON.stringify(value === undefined ? null : value));
  await store.write(key, bytes);
  return { storage: store.name, key, serializer: "json", sizeBytes: bytes.byteLength };
}

/** Reads a persisted result back from its reference. */
export async function readResult<T = unknown>(store: ResultStore, ref: ResultRef): Promise<T> {
  return JSON.parse(decoder.decode(await store.read(ref.key))) as T;
}
