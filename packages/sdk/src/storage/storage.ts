import type { Readable } from "node:stream";

/** A value to store: bytes, text (UTF-8), a readable stream, or an (async) iterable of chunks. */
export type StorageBody =
  Uint8Array | string | Readable | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** Options of `Storage.write`. */
export interface StorageWriteOptions {
  /** The value's media type (default application/octet-stream). */
  contentType?: string;
  /** String metadata kept with the value (S3 user metadata; default none). Keys are lowercased. */
  metadata?: Record<string, string>;
}

/** What `Storage.stat` tells about a stored value. */
export interface StorageObjectInfo {
  readonly key: string;
  readonly sizeBytes: number;
  readonly lastModified: Date;
  readonly contentType: string | undefined;
  readonly metadata: Record<string, string>;
}

/**
 * Where results and the cache index are kept. Keys are relative, slash-separated paths
 * ("results/<id>.json", "cache/<key>.json"); an S3-backed store implements the same interface.
 */
export interface ResultStore {
  /** Names this store in result references ("local", or a storage block's `type/name`). */
  readonly name: string;
  /** Writes a value under a key, replacing any previous value. */
  write(key: string, value: StorageBody, options?: StorageWriteOptions): Promise<void>;
  /** Reads the bytes under a key; throws StorageError (key_missing) when absent. */
  read(key: string): Promise<Uint8Array>;
  /** True when a value exists under the key. */
  exists(key: string): Promise<boolean>;
}

/**
 * A place to keep named byte values: the local file system or an S3-compatible bucket. Keys from
 * input are checked (see checkStorageKey); every failure is a StorageError naming storage, bucket, key.
 * Large values are streamed in both directions.
 */
export interface Storage extends ResultStore {
  /** A stream of the bytes under a key; fails with StorageError (key_missing) when absent. */
  readStream(key: string): Promise<Readable>;
  /** Size, modification time, content type and metadata of a value; StorageError when absent. */
  stat(key: string): Promise<StorageObjectInfo>;
  /** The keys under a prefix ("" for all), sorted; pages through large listings. */
  list(prefix?: string): Promise<string[]>;
  /** Deletes a value; deleting an absent key is not an error. */
  delete(key: string): Promise<void>;
}
