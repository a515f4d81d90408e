import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { S3Storage, type S3StorageOptions } from "../storage/s3-storage.js";

const ENTRY = fileURLToPath(new URL("./s3-test-server-process.ts", import.meta.url));

/** A real S3-protocol server (s3rver, signatures verified) on a loopback port, for tests and benchmarks. */
export interface S3TestServer {
  /** http://127.0.0.1:PORT */
  readonly endpoint: string;
  readonly region: string;
  /** The only credentials the server accepts. */
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  /** Where the server keeps its objects. */
  readonly directory: string;
  /** Creates a bucket through the S3 API. */
  createBucket(name: string): Promise<void>;
  /** An S3Storage for a bucket of this server (path-style, its credentials), options overriding. */
  storage(bucket: string, options?: Partial<S3StorageOptions>): S3Storage;
  /** s3-bucket block data pointing at a bucket of this server. */
  blockData(bucket: string, extra?: Record<string, unknown>): Record<string, unknown>;
  /** Stops the server process and deletes its directory. */
  close(): Promise<void>;
}

function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => resolve((JSON.parse(line) as { port: number }).port));
    child.once("exit", (code) => reject(new Error(`the S3 test server exited (${code}): ${stderr}`)));
    child.once("error", reject);
  });
}

/** Starts the server in a child process (so its memory and CPU are not the caller's) and creates `buckets`. */
export async function startS3TestServer(options: { buckets?: string[] } = {}): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), "sluice-s3-"));
  const child = spawn(process.execPath, ["--openssl-legacy-provider", "--import", "tsx", ENTRY, directory], {
    cwd: dirname(ENTRY),
    stdio: ["pipe", "pipe", "pipe"],
  });
  const port = await waitForPort(child);
  const endpoint = `http://127.0.0.1:${port}`;
  const region = "us-east-1";
  const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
  const admin = new S3Client({ endpoint, region, credentials: { ...credentials }, forcePathStyle: true });
  const server: S3TestServer = {
    endpoint,
    region,
    credentials,
    directory,
    async createBucket(name) {
      await admin.send(new CreateBucketCommand({ Bucket: name }));
    },
    storage(bucket, overrides = {}) {
      return new S3Storage({ bucket, endpoint, region, credentials, forcePathStyle: true, ...overrides });
    },
    blockData(bucket, extra = {}) {
      return { bucket, endpoint, region, credentials: { ...credentials }, forcePathStyle: true, ...extra };
    },
    async close() {
      admin.destroy();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.stdin.end();
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
  for (const bucket of options.buckets ?? []) await server.createBucket(bucket);
  return server;
}
