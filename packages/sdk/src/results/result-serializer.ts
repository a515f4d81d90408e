import type { ResultRef } from "@sluice/contracts";
import type { ResultStore } from "./result-store.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A result could not be serialised as JSON (a cycle, a BigInt, ...). */
export class ResultSerializationError extends Error {
  override readonly name = "ResultSerializationError";
}

/** Serialises a value as JSON into the store under `key` and returns its reference. */
export async function persistResult(store: ResultStore, key: string, value: unknown): Promise<ResultRef> {
  let text: string;
  try {
    text = JSON.stringify(value === undefined ? null : value);
  } catch (error) {
    throw new ResultSerializationError(`the result cannot be stored as JSON: ${String(error)}`, {
      cause: error,
    });
  }
  const bytes = encoder.encode(text);
  await store.write(key, bytes);
  return { storage: store.name, key, serializer: "json", sizeBytes: bytes.byteLength };
}

/** Reads a persisted result back from its reference. */
export async function readResult<T = unknown>(store: ResultStore, ref: ResultRef): Promise<T> {
  return JSON.parse(decoder.decode(await store.read(ref.key))) as T;
}
