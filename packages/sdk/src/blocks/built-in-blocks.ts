import {
  BUILT_IN_BLOCK_TYPES,
  JsonBlockData,
  LocalFileSystemBlockData,
  S3BucketBlockData,
  SECRET_MASK,
  SecretBlockData,
  WebhookBlockData,
} from "@sluice/contracts";
import type { z } from "zod";
import type { Storage } from "../storage/storage.js";
import { storageFromBlock } from "../storage/storage-from-block.js";
import { blockKind, type BlockTypeDefinition } from "./block-kind.js";

function builtIn<S extends z.ZodObject>(slug: string, schema: S): BlockTypeDefinition<S> {
  const type = BUILT_IN_BLOCK_TYPES.find((candidate) => candidate.slug === slug);
  if (!type) throw new Error(`unknown built-in block type ${slug}`);
  return { slug, name: type.name, description: type.description, schema, secretFields: type.secretFields };
}

/**
 * A loaded secret. It prints as the mask (`String(secret)`, JSON, `console.log`), so it is hard to
 * leak by accident; `get()` answers the value itself.
 */
export class SecretValue {
  readonly #value: string;
  constructor(
    readonly blockName: string,
    value: string,
  ) {
    this.#value = value;
  }
  /** The secret itself. */
  get(): string {
    return this.#value;
  }
  toString(): string {
    return SECRET_MASK;
  }
  toJSON(): string {
    return SECRET_MASK;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `SecretValue(${this.blockName}: ${SECRET_MASK})`;
  }
}

/** `await Secret.load("db-password")` then `.get()`. */
export const Secret = blockKind(
  builtIn("secret", SecretBlockData),
  (data, name) => new SecretValue(name, data.value),
);

/** `await JsonBlock.load("settings")` answers the stored JSON value. */
export const JsonBlock = blockKind(builtIn("json", JsonBlockData), (data) => data.value);

/** What a storage block loads as: its settings, and `storage()` to read and write objects there. */
type StorageBlockSettings<T> = T & {
  readonly blockName: string;
  /** Storage for the block's bucket or directory (keys stay under its base path). */
  storage(): Storage;
};

/** The settings of an S3 bucket block: bucket, endpoint, region, credentials, path style, base path. */
export type S3BucketSettings = StorageBlockSettings<z.output<typeof S3BucketBlockData>>;

/** `(await S3Bucket.load("results")).storage().write("report.csv", csv)`. */
export const S3Bucket = blockKind(
  builtIn("s3-bucket", S3BucketBlockData),
  (data, name): S3BucketSettings => ({
    ...data,
    blockName: name,
    storage: () => storageFromBlock(`s3-bucket/${name}`, "s3-bucket", data),
  }),
);

/** The settings of a local file system block. */
export type LocalFileSystemSettings = StorageBlockSettings<z.output<typeof LocalFileSystemBlockData>>;

/** `(await LocalFileSystem.load("scratch")).storage()`. */
export const LocalFileSystem = blockKind(
  builtIn("local-file-system", LocalFileSystemBlockData),
  (data, name): LocalFileSystemSettings => ({
    ...data,
    blockName: name,
    storage: () => storageFromBlock(`local-file-system/${name}`, "local-file-system", data),
  }),
);

/** A webhook that can be called; its URL and headers are secrets and never printed. */
export class WebhookTarget {
  readonly #settings: z.output<typeof WebhookBlockData>;
  constructor(
    readonly blockName: string,
    settings: z.output<typeof WebhookBlockData>,
  ) {
    this.#settings = settings;
  }

  /** Calls the webhook with `body` as JSON; throws naming the block (not the URL) on a non-2xx answer. */
  async call(body?: unknown): Promise<Response> {
    const { url, method, headers } = this.#settings;
    const response = await fetch(url, {
      method,
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      ...(body === undefined || method === "GET" ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) {
      throw new Error(`webhook/${this.blockName} answered ${response.status} ${response.statusText}`);
    }
    return response;
  }

  toJSON(): object {
    return { blockName: this.blockName, url: SECRET_MASK, method: this.#settings.method };
  }
}

/** `await (await Webhook.load("on-call")).call({ text: "build failed" })`. */
export const Webhook = blockKind(
  builtIn("webhook", WebhookBlockData),
  (data, name) => new WebhookTarget(name, data),
);
