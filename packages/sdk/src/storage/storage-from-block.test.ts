/**
 * End to end: storage blocks loaded through a real Sluice server. Needs the block routes
 * (PUT/GET /api/blocks/{type}/{name}), which come with the blocks work; run after that is merged.
 */
import { randomUUID } from "node:crypto";
import { createClient, type SluiceClient } from "@sluice/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { configureSdk, closeSdk } from "../api-connection/connection.js";
import { getRunContext } from "../context/run-context.js";
import { flow } from "../flows/flow.js";
import { readResult } from "../results/result-serializer.js";
import { task } from "../tasks/task.js";
import { startS3TestServer, type S3TestServer } from "../testing/s3-test-server.js";
import { storageFromRef } from "./result-storage.js";
import { StorageError } from "./storage-error.js";
import { forgetStorageBlocks, loadStorageBlock } from "./storage-from-block.js";

interface TestServerModule {
  startTestServer: () => Promise<{ url: string; close(): Promise<void> }>;
}

// Block names are unique per run: the PostgreSQL test database is shared by every test file.
const tag = randomUUID().slice(0, 8);
let server: { url: string; close(): Promise<void> };
let client: SluiceClient;
let s3: S3TestServer;

beforeAll(async () => {
  const specifier = "@sluice/server";
  const { startTestServer } = (await import(specifier)) as TestServerModule;
  [server, s3] = await Promise.all([startTestServer(), startS3TestServer({ buckets: ["sluice-results"] })]);
  client = createClient({ baseUrl: server.url });
  configureSdk({ apiUrl: server.url, heartbeatSeconds: 0.1 });
  await client.call("saveBlock", {
    params: { type: "s3-bucket", name: `results-${tag}` },
    body: { data: s3.blockData("sluice-results", { basePath: "blocks" }) },
  });
  await client.call("saveBlock", {
    params: { type: "s3-bucket", name: `wrong-secret-${tag}` },
    body: {
      data: s3.blockData("sluice-results", {
        credentials: { accessKeyId: s3.credentials.accessKeyId, secretAccessKey: "wrong-secret-value" },
      }),
    },
  });
  await client.call("saveBlock", {
    params: { type: "s3-bucket", name: `no-bucket-${tag}` },
    body: { data: s3.blockData("missing-bucket") },
  });
});
afterAll(async () => {
  await closeSdk();
  await server?.close();
  await s3?.close();
});
beforeEach(() => forgetStorageBlocks());

describe("storage blocks loaded through the API", () => {
  it("loads an s3-bucket block once per process and writes under its base path", async () => {
    const storage = await loadStorageBlock(client, `s3-bucket/results-${tag}`);
    expect(await loadStorageBlock(client, `s3-bucket/results-${tag}`)).toBe(storage);
    await storage.write("hello.txt", "hi");
    expect(await s3.storage("sluice-results").list("blocks/")).toContain("blocks/hello.txt");
  });

  it("runs a flow with resultStorage 's3-bucket/results' and reads a cache hit back in a fresh process state", async () => {
    let calls = 0;
    const cube = task({ name: "cube", cachePolicy: "inputs" }, async (x: number) => {
      calls++;
      return x ** 3;
    });
    const cubes = flow({ name: "block-cubes", resultStorage: `s3-bucket/results-${tag}` }, async () => ({
      value: await cube(3),
      flowRunId: getRunContext().flowRunId,
    }));
    const { flowRunId } = await cubes();
    const run = await client.readFlowRun(flowRunId);
    expect(run.result).toMatchObject({ storage: `s3-bucket/results-${tag}` });
    forgetStorageBlocks();
    // Read back through the reference alone, as another process would.
    expect(
      await readResult(storageFromRef("local"), run.result!, (name) => storageFromRef(name, client)),
    ).toEqual({
      value: 27,
      flowRunId,
    });
    await cubes();
    expect(calls).toBe(1);
  });

  it("names the block and the bucket when the block's credentials are rejected or its bucket is missing", async () => {
    const wrong = await loadStorageBlock(client, `s3-bucket/wrong-secret-${tag}`);
    const rejected = await wrong.write("k", "v").catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(StorageError);
    expect((rejected as Error).message).toMatch(
      /^credentials rejected \(storage s3-bucket\/wrong-secret-\w+, bucket sluice-results/,
    );
    expect((rejected as Error).message).not.toContain("wrong-secret-value");
    const missing = await (
      await loadStorageBlock(client, `s3-bucket/no-bucket-${tag}`)
    )
      .read("k")
      .catch((e: unknown) => e);
    expect((missing as StorageError).reason).toBe("bucket_missing");
    expect((missing as Error).message).toContain(`storage s3-bucket/no-bucket-${tag}, bucket missing-bucket`);
  });

  it("says the block is missing", async () => {
    const error = await loadStorageBlock(client, "s3-bucket/nope").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).reason).toBe("block_missing");
    expect((error as Error).message).toContain("s3-bucket/nope");
  });
});
