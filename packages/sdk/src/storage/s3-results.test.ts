import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRunContext } from "../context/run-context.js";
import { flow } from "../flows/flow.js";
import { readResult } from "../results/result-serializer.js";
import { task } from "../tasks/task.js";
import { startS3TestServer, type S3TestServer } from "../testing/s3-test-server.js";
import { startSdkTestServer, type SdkTestContext } from "../testing/sdk-test-server.js";
import { StorageError } from "./storage-error.js";

let ctx: SdkTestContext;
let s3: S3TestServer;
beforeAll(async () => {
  [ctx, s3] = await Promise.all([startSdkTestServer(), startS3TestServer({ buckets: ["sluice-results"] })]);
});
afterAll(async () => {
  await ctx.close();
  await s3.close();
});

describe("flow and task results in S3", () => {
  it("writes a flow's and its cached task's results to the flow's S3 storage, and reads a cache hit back", async () => {
    const storage = s3.storage("sluice-results", { name: "s3-bucket/results", basePath: "runs" });
    let calls = 0;
    const square = task({ name: "square", cachePolicy: "inputs" }, async (x: number) => {
      calls++;
      return { square: x * x, payload: "p".repeat(3 << 20) };
    });
    const squares = flow({ name: "s3-squares", resultStorage: storage }, async () => {
      const { square: value } = await square(7);
      return { value, flowRunId: getRunContext().flowRunId };
    });
    const first = await squares();
    expect(first.value).toBe(49);
    const run = await ctx.client.readFlowRun(first.flowRunId);
    expect(run.result).toMatchObject({ storage: "s3-bucket/results", key: `results/${run.id}.json` });
    expect(await readResult(storage, run.result!)).toEqual({ value: 49, flowRunId: run.id });

    const keys = await s3.storage("sluice-results").list("runs/");
    expect(keys).toContain(`runs/results/${run.id}.json`);
    expect(keys.filter((key) => key.startsWith("runs/cache/"))).toHaveLength(1);
    // The task's 3 MB result went up in chunks and came back whole.
    const [taskRun] = (await ctx.client.filterTaskRuns({ flowRunIds: [run.id] })).items;
    expect(taskRun!.state?.result).toMatchObject({ storage: "s3-bucket/results", serializer: "json" });
    expect(taskRun!.state?.result?.sizeBytes).toBeGreaterThan(3 << 20);

    // Another process: a fresh S3 client under the same name finds the cache entry and reads the value.
    const again = flow(
      {
        name: "s3-squares",
        resultStorage: s3.storage("sluice-results", { name: "s3-bucket/results", basePath: "runs" }),
      },
      async () => (await square(7)).square,
    );
    expect(await again()).toBe(49);
    expect(calls).toBe(1);
  });

  it("lets a task choose its own storage, and stores bytes as they are", async () => {
    const storage = s3.storage("sluice-results", { name: "s3-bucket/bytes", basePath: "bytes" });
    const blob = task({ name: "blob", persistResult: true, resultStorage: storage }, async () =>
      Uint8Array.from([9, 8, 7]),
    );
    const f = flow({ name: "s3-bytes", persistResult: false }, async () => {
      await blob();
      return getRunContext().flowRunId;
    });
    const flowRunId = await f();
    const [taskRun] = (await ctx.client.filterTaskRuns({ flowRunIds: [flowRunId] })).items;
    const ref = taskRun!.state!.result!;
    expect(ref).toMatchObject({ storage: "s3-bucket/bytes", serializer: "bytes", sizeBytes: 3 });
    expect([...(await readResult<Uint8Array>(storage, ref))]).toEqual([9, 8, 7]);
  });

  it("fails the flow with a StorageError naming the storage and bucket when S3 refuses the credentials", async () => {
    const storage = s3.storage("sluice-results", {
      name: "s3-bucket/wrong",
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "not-the-secret" },
    });
    const f = flow({ name: "s3-wrong", resultStorage: storage }, async () => 1);
    const error = await f().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(
      /^credentials rejected \(storage s3-bucket\/wrong, bucket sluice-results/,
    );
    expect((error as Error).message).not.toContain("not-the-secret");
  });
});
