import { z } from "zod";

/** A block type that ships with Sluice: its data schema as zod, from which the JSON Schema is made. */
export interface BuiltInBlockType<S extends z.ZodObject = z.ZodObject> {
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly schema: S;
  /** Dotted paths of the fields that are encrypted and masked. */
  readonly secretFields: readonly string[];
}

function builtIn<S extends z.ZodObject>(type: BuiltInBlockType<S>): BuiltInBlockType<S> {
  return type;
}

/** A single secret string: a password, a token, a connection string. */
export const SecretBlockData = z.strictObject({ value: z.string().min(1) });

/** Any JSON value kept under a name. */
export const JsonBlockData = z.strictObject({ value: z.unknown() });

/** Credentials for an S3-compatible store; omitted, the AWS SDK's default chain is used. */
export const S3Credentials = z.strictObject({
  accessKeyId: z.string().min(1),
  secretAccessKey: z.string().min(1),
  sessionToken: z.string().min(1).optional(),
});

/** A bucket in AWS S3 or any S3-compatible store (MinIO: set `endpoint` and `forcePathStyle`). */
export const S3BucketBlockData = z.strictObject({
  bucket: z.string().min(3).max(63),
  /** For MinIO and other S3-compatible servers, for example http://127.0.0.1:9000. */
  endpoint: z.url().optional(),
  region: z.string().min(1).default("us-east-1"),
  credentials: S3Credentials.optional(),
  /** Path-style addressing (http://host/bucket/key), which MinIO needs. */
  forcePathStyle: z.boolean().default(false),
  /** A prefix inside the bucket that every key stays under. */
  basePath: z.string().default(""),
});

/** A directory on the machine that runs the flow. */
export const LocalFileSystemBlockData = z.strictObject({ basePath: z.string().min(1) });

/** An HTTP endpoint to call; the URL and headers often carry tokens, so both are secret. */
export const WebhookBlockData = z.strictObject({
  url: z.url(),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("POST"),
  headers: z.record(z.string(), z.string()).default({}),
});

/** The block types every server has. */
export const BUILT_IN_BLOCK_TYPES = [
  builtIn({
    slug: "secret",
    name: "Secret",
    description: "A single secret string, stored encrypted and masked when read.",
    schema: SecretBlockData,
    secretFields: ["value"],
  }),
  builtIn({
    slug: "json",
    name: "JSON",
    description: "Any JSON value kept under a name.",
    schema: JsonBlockData,
    secretFields: [],
  }),
  builtIn({
    slug: "s3-bucket",
    name: "S3 bucket",
    description: "A bucket in AWS S3 or an S3-compatible store such as MinIO, for results and artifacts.",
    schema: S3BucketBlockData,
    secretFields: ["credentials.secretAccessKey", "credentials.sessionToken"],
  }),
  builtIn({
    slug: "local-file-system",
    name: "Local file system",
    description: "A directory on the machine that runs the flow, for results and artifacts.",
    schema: LocalFileSystemBlockData,
    secretFields: [],
  }),
  builtIn({
    slug: "webhook",
    name: "Webhook",
    description: "An HTTP endpoint to call from a flow.",
    schema: WebhookBlockData,
    secretFields: ["url", "headers"],
  }),
] as const;

/** The JSON Schema of a block type's data, as the server stores and validates it. */
export function blockJsonSchema(schema: z.ZodObject): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
}
