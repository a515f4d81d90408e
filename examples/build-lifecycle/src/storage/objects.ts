import { StorageError, type Storage } from "@sluice/sdk";
import { newYorkIsoTimestamp } from "../build-context.js";

/** A stage input that an earlier stage (or the seed) should have stored and did not. */
export class MissingInputError extends Error {
  override readonly name = "MissingInputError";
  constructor(
    readonly stage: string,
    readonly storage: string,
    readonly key: string,
    hint: string,
    options?: { cause?: unknown },
  ) {
    super(`${stage}: ${storage} has no ${key} (${hint})`, options);
  }
}

/** The bucket a storage stands for: its S3 bucket, else its name. */
export function storageLabel(storage: Storage): string {
  const bucket = (storage as { bucket?: unknown }).bucket;
  return typeof bucket === "string" ? bucket : storage.name;
}

/** Reads a key a stage depends on as text; a missing key is a MissingInputError naming it. */
export async function readInput(storage: Storage, key: string, stage: string, hint: string): Promise<string> {
  try {
    return new TextDecoder().decode(await storage.read(key));
  } catch (error) {
    if (error instanceof StorageError && error.reason === "key_missing") {
      throw new MissingInputError(stage, storageLabel(storage), key, hint, { cause: error });
    }
    throw error;
  }
}

/** Who wrote an object, as dcpy records it in S3 user metadata. */
export interface ObjectProvenance {
  readonly commit: string | null;
}

const CONTENT_TYPES: Record<string, string> = {
  yml: "application/yaml",
  json: "application/json",
  csv: "text/csv",
};

/** Writes an object with dcpy's metadata (`date-created`, `commit`) and a content type from its extension. */
export async function writeObject(
  storage: Storage,
  key: string,
  body: string,
  provenance: ObjectProvenance,
  now = new Date(),
): Promise<void> {
  const extension = key.slice(key.lastIndexOf(".") + 1);
  await storage.write(key, body, {
    contentType: CONTENT_TYPES[extension] ?? "application/octet-stream",
    metadata: { "date-created": newYorkIsoTimestamp(now), commit: provenance.commit ?? "unknown" },
  });
}
