/** Why a storage operation failed, in words a user can act on. */
export type StorageErrorReason =
  | "invalid_key"
  | "credentials_rejected"
  | "access_denied"
  | "bucket_missing"
  | "key_missing"
  | "unreachable"
  | "block_missing"
  | "invalid_block"
  | "failed";

const REASON_TEXT: Record<StorageErrorReason, string> = {
  invalid_key: "invalid key",
  credentials_rejected: "credentials rejected",
  access_denied: "access denied",
  bucket_missing: "bucket missing",
  key_missing: "key missing",
  unreachable: "cannot reach the endpoint",
  block_missing: "storage block missing",
  invalid_block: "invalid storage block",
  failed: "storage operation failed",
};

/** Where a failure happened: the storage's name (for a block, `type/name`), bucket and key. */
export interface StorageErrorContext {
  readonly storage: string;
  readonly bucket?: string | undefined;
  readonly key?: string | undefined;
}

/**
 * Every storage failure: names the storage, the bucket and the key, and gives a plain reason.
 * Messages never include credentials; `detail` is text the caller vetted (no secret values).
 */
export class StorageError extends Error {
  override readonly name = "StorageError";
  readonly storage: string;
  readonly bucket: string | undefined;
  readonly key: string | undefined;

  constructor(
    readonly reason: StorageErrorReason,
    context: StorageErrorContext,
    detail?: string,
    options?: { cause?: unknown },
  ) {
    const where = [
      `storage ${context.storage}`,
      ...(context.bucket === undefined ? [] : [`bucket ${context.bucket}`]),
      ...(context.key === undefined ? [] : [`key ${JSON.stringify(context.key)}`]),
    ].join(", ");
    super(`${REASON_TEXT[reason]} (${where})${detail ? `: ${detail}` : ""}`, options);
    this.storage = context.storage;
    this.bucket = context.bucket;
    this.key = context.key;
  }
}
