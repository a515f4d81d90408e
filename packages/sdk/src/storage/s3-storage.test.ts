import { createServer, type Socket } from "node:net";
import { Readable } from "node:stream";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startS3TestServer, type S3TestServer } from "../testing/s3-test-server.js";
import { readAll } from "./storage-body.js";
import { StorageError } from "./storage-error.js";
import { S3Storage } from "./s3-storage.js";

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3TestServer({ buckets: ["results", "other"] });
});
afterAll(() => s3.close());

const MIB = 1024 * 1024;

/** 50 MiB made on the fly, one 1 MiB chunk at a time, each chunk's bytes set to its index. */
async function* chunks(count: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < count; i++) yield Buffer.alloc(MIB, i % 251);
}

async function expectStorageError(promise: Promise<unknown>, reason: StorageError["reason"]) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StorageError);
  expect((error as StorageError).reason, (error as Error).message).toBe(reason);
  return error as StorageError;
}

describe("S3Storage against a real S3-protocol server", () => {
  it("writes, reads, lists, checks and deletes", async () => {
    const storage = s3.storage("results", { name: "s3-bucket/results" });
    await storage.write("a/one.txt", "one");
    await storage.write("a/two.bin", new Uint8Array([1, 2, 3]));
    await storage.write("b/three.txt", Readable.from(["thr", "ee"]));
    expect(Buffer.from(await storage.read("a/one.txt")).toString()).toBe("one");
    expect([...(await storage.read("a/two.bin"))]).toEqual([1, 2, 3]);
    expect(Buffer.from(await readAll(await storage.readStream("b/three.txt"))).toString()).toBe("three");
    expect(await storage.list("a/")).toEqual(["a/one.txt", "a/two.bin"]);
    expect(await storage.list()).toEqual(["a/one.txt", "a/two.bin", "b/three.txt"]);
    expect(await storage.exists("a/one.txt")).toBe(true);
    await storage.delete("a/one.txt");
    expect(await storage.exists("a/one.txt")).toBe(false);
    await storage.delete("a/one.txt");
    await expectStorageError(storage.read("a/one.txt"), "key_missing");
  });

  it("keeps content type and metadata", async () => {
    const storage = s3.storage("results");
    await storage.write("meta.json", "{}", {
      contentType: "application/json",
      metadata: { "Date-Created": "2026-11-22", commit: "abc123" },
    });
    const info = await storage.stat("meta.json");
    expect(info).toMatchObject({
      key: "meta.json",
      sizeBytes: 2,
      contentType: "application/json",
      metadata: { "date-created": "2026-11-22", commit: "abc123" },
    });
  });

  it("keeps every key under the base path, and lists relative to it", async () => {
    const storage = s3.storage("other", { basePath: "/team/a/" });
    await storage.write("x.txt", "x");
    const direct = await s3.storage("other").list();
    expect(direct).toContain("team/a/x.txt");
    expect(await storage.list()).toEqual(["x.txt"]);
  });

  it("pages through listings longer than one page", async () => {
    const storage = s3.storage("other", { basePath: "many" });
    for (let start = 0; start < 1005; start += 50) {
      const batch = Array.from({ length: Math.min(50, 1005 - start) }, (_, i) => start + i);
      await Promise.all(batch.map((i) => storage.write(`k${String(i).padStart(4, "0")}`, "")));
    }
    const keys = await storage.list();
    expect(keys).toHaveLength(1005);
    expect(keys[1004]).toBe("k1004");
  }, 120_000);

  it("streams a 50 MB value up in parts and back", async () => {
    const storage = s3.storage("results");
    await storage.write("big.bin", Readable.from(chunks(50)), { metadata: { kind: "big" } });
    expect((await storage.stat("big.bin")).sizeBytes).toBe(50 * MIB);
    let offset = 0;
    for await (const chunk of await storage.readStream("big.bin")) {
      const bytes = chunk as Buffer;
      for (const at of [0, bytes.length - 1]) {
        expect(bytes[at]).toBe(Math.floor((offset + at) / MIB) % 251);
      }
      offset += bytes.length;
    }
    expect(offset).toBe(50 * MIB);
    // The same object read directly with the AWS SDK.
    const direct = await storage.client.send(new GetObjectCommand({ Bucket: "results", Key: "big.bin" }));
    expect(direct.ContentLength).toBe(50 * MIB);
    await direct.Body!.transformToByteArray();
  }, 120_000);

  it("refuses keys that could escape the base path, naming the storage and key", async () => {
    const storage = s3.storage("results", { name: "s3-bucket/results", basePath: "p" });
    for (const key of ["../x", "a/../../x", "/etc/passwd", "a\\b", "", "a\0b", ".", "a//b", "a/"]) {
      const error = await expectStorageError(storage.write(key, "x"), "invalid_key");
      expect(error.message).toContain("s3-bucket/results");
      expect(error.message).toContain("bucket results");
    }
    await expectStorageError(storage.list("../"), "invalid_key");
    expect(() => s3.storage("results", { basePath: "../up" })).toThrow(StorageError);
  });

  it("says the credentials were rejected, without the secret", async () => {
    const storage = s3.storage("results", {
      name: "s3-bucket/results",
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "wrong-secret-value" },
    });
    const calls = [
      () => storage.write("k", "v"),
      () => storage.read("k"),
      () => storage.exists("k"),
      () => storage.list(),
    ];
    for (const call of calls) {
      const error = await expectStorageError(call(), "credentials_rejected");
      expect(error.message).toMatch(/^credentials rejected \(storage s3-bucket\/results, bucket results/);
      expect(error.message).not.toContain("wrong-secret-value");
    }
    const unknownKey = s3.storage("results", {
      credentials: { accessKeyId: "NOPE", secretAccessKey: "S3RVER" },
    });
    await expectStorageError(unknownKey.read("k"), "credentials_rejected");
  });

  it("says the bucket is missing, for reads, writes, stats and listings", async () => {
    const storage = s3.storage("no-such-bucket", { name: "s3-bucket/gone" });
    const calls = [
      () => storage.read("k"),
      () => storage.write("k", "v"),
      () => storage.exists("k"),
      () => storage.list(),
    ];
    for (const call of calls) {
      const error = await expectStorageError(call(), "bucket_missing");
      expect(error.message).toContain("bucket no-such-bucket");
    }
  });

  it("fails fast with 'cannot reach the endpoint' when the server is down", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const storage = new S3Storage({
      bucket: "results",
      name: "s3-bucket/down",
      endpoint: `http://user:pw@127.0.0.1:${port}`,
      credentials: s3.credentials,
      forcePathStyle: true,
    });
    const started = Date.now();
    const error = await expectStorageError(storage.write("k", "v"), "unreachable");
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error.message).toContain(`http://127.0.0.1:${port}`);
    expect(error.message).not.toContain("pw");
  });

  it("gives up on an endpoint that accepts connections but never answers", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    try {
      const storage = new S3Storage({
        bucket: "results",
        endpoint: `http://127.0.0.1:${port}`,
        credentials: s3.credentials,
        forcePathStyle: true,
        idleTimeoutMs: 300,
        maxAttempts: 2,
      });
      const error = await expectStorageError(storage.read("k"), "unreachable");
      expect(error.message).toContain("bucket results");
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("reads what the AWS SDK wrote directly", async () => {
    const storage = s3.storage("results");
    await storage.client.send(new PutObjectCommand({ Bucket: "results", Key: "direct.txt", Body: "direct" }));
    expect(Buffer.from(await storage.read("direct.txt")).toString()).toBe("direct");
  });
});
