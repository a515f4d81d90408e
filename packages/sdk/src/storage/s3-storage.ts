import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { Readable } from "node:stream";
import { lowercaseKeys } from "./local-storage.js";
import { displayEndpoint, storageErrorFromS3 } from "./s3-errors.js";
import { bodyAsStream, readAll, withMappedErrors } from "./storage-body.js";
import { StorageError, type StorageErrorContext } from "./storage-error.js";
import { checkStorageKey, checkStoragePrefix, normaliseBasePath } from "./storage-key.js";
import type { Storage, StorageBody, StorageObjectInfo, StorageWriteOptions } from "./storage.js";

/** Options of `new S3Storage(...)`; the first six mirror the s3-bucket block's fields. */
export interface S3StorageOptions {
  bucket: string;
  /** For MinIO and other S3-compatible servers, for example http://127.0.0.1:9000 (default: AWS). */
  endpoint?: string;
  /** Default us-east-1. */
  region?: string;
  /** Default: the AWS SDK's credential chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Path-style addressing (http://host/bucket/key), which MinIO needs (default false). */
  forcePathStyle?: boolean;
  /** A prefix inside the bucket that every key stays under (default ""). */
  basePath?: string;
  /** What result references record (default `s3://BUCKET[/BASEPATH]`; from a block, `s3-bucket/NAME`). */
  name?: string;
  /** Attempts per request, first included (default 3). */
  maxAttempts?: number;
  /** Milliseconds to wait for a connection before giving up on an attempt (default 3000). */
  connectTimeoutMs?: number;
  /** Milliseconds a connected request may stay silent before the attempt fails (default 120000). */
  idleTimeoutMs?: number;
  /** Bytes per part of a multipart upload (default 8 MiB, at least 5 MiB). */
  partSizeBytes?: number;
  /** Parts uploaded at once; bounds the memory a large upload holds (default 2). */
  queueSize?: number;
}

const MIB = 1024 * 1024;
/** S3's limit for one PUT; larger in-memory values go up in parts. */
const MAX_SINGLE_PUT = 5 * 1024 * MIB;

/** Stores values in an S3 bucket (AWS S3, MinIO, or any S3-compatible server) through the AWS SDK v3. */
export class S3Storage implements Storage {
  readonly name: string;
  readonly bucket: string;
  /** The normalised prefix every key is stored under ("" or "a/b"). */
  readonly basePath: string;
  /** The underlying AWS SDK client. */
  readonly client: S3Client;
  private readonly endpoint: string | undefined;
  private readonly partSize: number;
  private readonly queueSize: number;
  private bucketSeen = false;

  constructor(options: S3StorageOptions) {
    this.bucket = options.bucket;
    this.endpoint = options.endpoint;
    const context = { storage: options.name ?? `s3://${options.bucket}`, bucket: options.bucket };
    this.basePath = normaliseBasePath(options.basePath ?? "", context);
    this.name = options.name ?? `s3://${options.bucket}${this.basePath ? `/${this.basePath}` : ""}`;
    this.partSize = Math.max(options.partSizeBytes ?? 8 * MIB, 5 * MIB);
    this.queueSize = options.queueSize ?? 2;
    this.client = new S3Client({
      region: options.region ?? "us-east-1",
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      // A copy: the AWS SDK marks the credentials object it is given (`$source`), and callers'
      // objects (a block's data) must stay as they were.
      ...(options.credentials ? { credentials: { ...options.credentials } } : {}),
      forcePathStyle: options.forcePathStyle ?? false,
      maxAttempts: options.maxAttempts ?? 3,
      requestHandler: {
        connectionTimeout: options.connectTimeoutMs ?? 3000,
        socketTimeout: options.idleTimeoutMs ?? 120_000,
      },
      // S3-compatible servers differ in their support for the newer default checksums (aws-chunked
      // uploads with trailers); for a custom endpoint send checksums only where S3 requires them.
      ...(options.endpoint
        ? { requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" }
        : {}),
    });
  }

  private context(key?: string): StorageErrorContext {
    return { storage: this.name, bucket: this.bucket, key };
  }

  private objectKey(key: string): string {
    checkStorageKey(key, this.context());
    return this.basePath === "" ? key : `${this.basePath}/${key}`;
  }

  /** Maps a failure; a bare 404 is checked against the bucket once, so "bucket missing" is told apart. */
  private async fail(error: unknown, key: string | undefined): Promise<StorageError> {
    const mapped = storageErrorFromS3(error, this.context(key), this.endpoint);
    if (mapped.reason !== "key_missing" || this.bucketSeen) return mapped;
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      this.bucketSeen = true;
      return mapped;
    } catch (bucketError) {
      return storageErrorFromS3(bucketError, this.context(key), this.endpoint, "bucket_missing");
    }
  }

  async write(key: string, value: StorageBody, options: StorageWriteOptions = {}): Promise<void> {
    const params = {
      Bucket: this.bucket,
      Key: this.objectKey(key),
      ContentType: options.contentType ?? "application/octet-stream",
      Metadata: lowercaseKeys(options.metadata),
    };
    try {
      if (typeof value === "string" || value instanceof Uint8Array) {
        // A value already whole in memory goes up in one request: no copy, no part bookkeeping.
        const size = typeof value === "string" ? Buffer.byteLength(value) : value.byteLength;
        if (size <= MAX_SINGLE_PUT) {
          // An empty string would be sent as "no body"; empty bytes have a known length of 0.
          const body = value === "" ? new Uint8Array(0) : value;
          await this.client.send(new PutObjectCommand({ ...params, Body: body }));
          this.bucketSeen = true;
          return;
        }
      }
      // Upload reads a stream part by part and keeps at most `queueSize` parts in memory at once.
      const upload = new Upload({
        client: this.client,
        params: {
          ...params,
          Body: typeof value === "string" || value instanceof Uint8Array ? value : bodyAsStream(value),
        },
        partSize: this.partSize,
        queueSize: this.queueSize,
        leavePartsOnError: false,
      });
      await upload.done();
      this.bucketSeen = true;
    } catch (error) {
      throw await this.fail(error, key);
    }
  }

  private async get(key: string): Promise<{ body: Readable; size: number | undefined }> {
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      );
      this.bucketSeen = true;
      if (!answer.Body) throw new StorageError("failed", this.context(key), "the server sent no body");
      return { body: answer.Body as Readable, size: answer.ContentLength };
    } catch (error) {
      throw await this.fail(error, key);
    }
  }

  async read(key: string): Promise<Uint8Array> {
    const { body, size } = await this.get(key);
    try {
      return await readAll(body, size);
    } catch (error) {
      throw await this.fail(error, key);
    }
  }

  async readStream(key: string): Promise<Readable> {
    const { body } = await this.get(key);
    return withMappedErrors(body, (error) => storageErrorFromS3(error, this.context(key), this.endpoint));
  }

  async stat(key: string): Promise<StorageObjectInfo> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      );
      this.bucketSeen = true;
      return {
        key,
        sizeBytes: head.ContentLength ?? 0,
        lastModified: head.LastModified ?? new Date(0),
        contentType: head.ContentType,
        metadata: head.Metadata ?? {},
      };
    } catch (error) {
      throw await this.fail(error, key);
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.stat(key);
      return true;
    } catch (error) {
      if (error instanceof StorageError && error.reason === "key_missing") return false;
      throw error;
    }
  }

  async list(prefix = ""): Promise<string[]> {
    checkStoragePrefix(prefix, this.context());
    const base = this.basePath === "" ? "" : `${this.basePath}/`;
    const keys: string[] = [];
    try {
      const pages = paginateListObjectsV2(
        { client: this.client, pageSize: 1000 },
        { Bucket: this.bucket, Prefix: `${base}${prefix}` },
      );
      for await (const page of pages) {
        for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key.slice(base.length));
      }
    } catch (error) {
      throw storageErrorFromS3(error, this.context(), this.endpoint, "bucket_missing");
    }
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
    } catch (error) {
      throw await this.fail(error, key);
    }
  }

  /** Closes the client's idle connections. */
  destroy(): void {
    this.client.destroy();
  }

  /** For messages: where this storage points, without credentials. */
  describe(): string {
    return `${displayEndpoint(this.endpoint)} bucket ${this.bucket}${this.basePath ? `/${this.basePath}` : ""}`;
  }
}
