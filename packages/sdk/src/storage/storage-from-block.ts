import { SluiceApiError, type SluiceClient } from "@sluice/client";
import { LocalFileSystemBlockData, S3BucketBlockData } from "@sluice/contracts";
import { LocalStorage } from "./local-storage.js";
import { S3Storage } from "./s3-storage.js";
import { StorageError } from "./storage-error.js";
import type { Storage } from "./storage.js";

/** Block types that can hold results. */
export const STORAGE_BLOCK_TYPES = ["s3-bucket", "local-file-system"] as const;
export type StorageBlockType = (typeof STORAGE_BLOCK_TYPES)[number];

/** A reference to a storage block, `TYPE/NAME` ("s3-bucket/results"). */
export interface StorageBlockRef {
  readonly type: StorageBlockType;
  readonly name: string;
}

const BLOCK_REF = /^([a-z0-9-]+)\/([a-z0-9]+(?:-[a-z0-9]+)*)$/;

/** Parses `TYPE/NAME`; throws StorageError (invalid_block) naming what is wrong. */
export function parseStorageBlockRef(ref: string): StorageBlockRef {
  const match = BLOCK_REF.exec(ref);
  if (!match) {
    throw new StorageError(
      "invalid_block",
      { storage: ref },
      'expected "local", "s3-bucket/NAME" or "local-file-system/NAME" (names: lowercase letters, digits, dashes)',
    );
  }
  const type = match[1]!;
  if (!(STORAGE_BLOCK_TYPES as readonly string[]).includes(type)) {
    throw new StorageError(
      "invalid_block",
      { storage: ref },
      `block type "${type}" cannot hold results; use ${STORAGE_BLOCK_TYPES.join(" or ")}`,
    );
  }
  return { type: type as StorageBlockType, name: match[2]! };
}

/** The fields that failed a block schema, named, without their values (they may be secret). */
function issuesOf(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .map((issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
}

/**
 * Builds the storage a block describes; pure (no I/O). `ref` names the storage in errors and in
 * result references. Throws StorageError (invalid_block) for another type or data failing the schema.
 */
export function storageFromBlock(ref: string, type: string, data: unknown): Storage {
  if (type === "s3-bucket") {
    const parsed = S3BucketBlockData.safeParse(data);
    if (!parsed.success) throw new StorageError("invalid_block", { storage: ref }, issuesOf(parsed.error));
    return new S3Storage({ ...parsed.data, name: ref });
  }
  if (type === "local-file-system") {
    const parsed = LocalFileSystemBlockData.safeParse(data);
    if (!parsed.success) throw new StorageError("invalid_block", { storage: ref }, issuesOf(parsed.error));
    return new LocalStorage(parsed.data.basePath, { name: ref });
  }
  throw new StorageError("invalid_block", { storage: ref }, `block type "${type}" cannot hold results`);
}

const loaded = new Map<string, Promise<Storage>>();

/**
 * Loads a storage block through the API (secrets included) and builds its storage, once per process
 * and server; a failed load is forgotten so the next use tries again.
 */
export function loadStorageBlock(client: SluiceClient, ref: string): Promise<Storage> {
  const cacheKey = `${client.baseUrl} ${ref}`;
  let storage = loaded.get(cacheKey);
  if (!storage) {
    const { type, name } = parseStorageBlockRef(ref);
    storage = client.call("readBlock", { params: { type, name }, query: { includeSecrets: "true" } }).then(
      (block) => storageFromBlock(ref, block.blockType, block.data),
      (error: unknown) => {
        if (error instanceof SluiceApiError && error.status === 404) {
          throw new StorageError("block_missing", { storage: ref }, `no ${type} block named "${name}"`, {
            cause: error,
          });
        }
        const detail = error instanceof SluiceApiError ? `the API answered ${error.code}` : String(error);
        throw new StorageError("failed", { storage: ref }, `loading the block failed: ${detail}`, {
          cause: error,
        });
      },
    );
    storage.catch(() => loaded.delete(cacheKey));
    loaded.set(cacheKey, storage);
  }
  return storage;
}

/** Forgets loaded blocks (tests, or after a block changed). */
export function forgetStorageBlocks(): void {
  loaded.clear();
}
