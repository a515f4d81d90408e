import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { getRunLogger } from "../logging/run-logger.js";
import { clearSecretValues } from "../logging/secret-redaction.js";
import { flow } from "../flows/flow.js";
import { startSdkTestServer, waitFor, type SdkTestContext } from "../testing/sdk-test-server.js";
import { getRunContext } from "../context/run-context.js";
import { BlockDataError, BlockNotFoundError, defineBlockType } from "./block-kind.js";
import { JsonBlock, LocalFileSystem, S3Bucket, Secret, Webhook } from "./built-in-blocks.js";

// Block names are unique per run: the PostgreSQL test database is shared by every test file.
const tag = randomUUID().slice(0, 8);
let ctx: SdkTestContext;
let hook: Server;
const received: { method: string; auth: string | undefined; body: string }[] = [];

beforeAll(async () => {
  ctx = await startSdkTestServer();
  hook = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push({ method: req.method ?? "", auth: req.headers.authorization, body });
      res.statusCode = req.url === "/fail" ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  clearSecretValues();
  await new Promise((resolve) => hook.close(resolve));
  await ctx.close();
});

describe("blocks in the SDK", () => {
  it("loads a secret that prints as the mask, and scrubs its value from run logs", async () => {
    await Secret.save(`db-password-${tag}`, { value: "hunter2-very-secret" });
    const secret = await Secret.load(`db-password-${tag}`);
    expect(secret.get()).toBe("hunter2-very-secret");
    expect(String(secret)).toBe("********");
    expect(JSON.stringify({ secret })).toBe('{"secret":"********"}');

    const leaky = flow({ name: "sdk-block-leaky" }, async () => {
      const loaded = await Secret.load(`db-password-${tag}`);
      getRunLogger().info("connecting with %s", loaded.get());
      return getRunContext().flowRunId;
    });
    const id = await leaky();
    const logs = await waitFor(async () => {
      const page = await ctx.client.filterLogs({ flowRunId: id, text: "connecting" });
      return page.items.length > 0 ? page.items : undefined;
    });
    const text = logs.map((log) => log.message).join("\n");
    expect(text).toContain("connecting with ********");
    expect(text).not.toContain("hunter2-very-secret");
  });

  it("loads built-in S3 bucket and JSON blocks with their defaults", async () => {
    await S3Bucket.save(`results-${tag}`, {
      bucket: "sluice-results",
      endpoint: "http://127.0.0.1:9000",
      forcePathStyle: true,
      credentials: { accessKeyId: "minio", secretAccessKey: "minio-secret-key" },
    });
    const bucket = await S3Bucket.load(`results-${tag}`);
    expect(bucket).toMatchObject({
      blockName: `results-${tag}`,
      bucket: "sluice-results",
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { secretAccessKey: "minio-secret-key" },
    });
    await LocalFileSystem.save(`scratch-${tag}`, { basePath: join(ctx.home, "scratch") });
    const scratch = (await LocalFileSystem.load(`scratch-${tag}`)).storage();
    await scratch.write("notes/a.txt", "hello");
    expect(new TextDecoder().decode(await scratch.read("notes/a.txt"))).toBe("hello");
    await JsonBlock.save(`settings-${tag}`, { value: { depth: 2 } });
    expect(await JsonBlock.load(`settings-${tag}`)).toEqual({ depth: 2 });
  });

  it("says how to create a missing block, and refuses to overwrite without asking", async () => {
    await expect(Secret.load(`absent-${tag}`)).rejects.toThrow(BlockNotFoundError);
    await expect(Secret.load(`absent-${tag}`)).rejects.toThrow(/sluice block create secret absent/);
    await Secret.save(`once-${tag}`, { value: "first-value" });
    await expect(Secret.save(`once-${tag}`, { value: "second-value" })).rejects.toThrow(/exists|overwrite/);
    await Secret.save(`once-${tag}`, { value: "second-value" }, { overwrite: true });
    expect((await Secret.load(`once-${tag}`)).get()).toBe("second-value");
  });

  it("registers a custom block type from a zod schema and loads it typed", async () => {
    const Warehouse = defineBlockType({
      slug: "sdk-warehouse",
      description: "A warehouse connection",
      schema: z.object({ host: z.string(), port: z.number().int().default(5432), password: z.string() }),
      secretFields: ["password"],
    });
    const type = await Warehouse.register();
    expect(type).toMatchObject({ slug: "sdk-warehouse", secretFields: ["password"], builtIn: false });
    await Warehouse.save(`prod-${tag}`, { host: "db.internal", password: "pw-123456" });
    const masked = await ctx.client.call("readBlock", {
      params: { type: "sdk-warehouse", name: `prod-${tag}` },
    });
    expect(masked.data).toEqual({ host: "db.internal", port: 5432, password: "********" });
    expect(await Warehouse.load(`prod-${tag}`)).toEqual({
      host: "db.internal",
      port: 5432,
      password: "pw-123456",
    });

    // The code's schema moved on (a new required field): loading names the field.
    const Stricter = defineBlockType({
      slug: "sdk-warehouse",
      schema: z.object({ host: z.string(), port: z.number(), password: z.string(), database: z.string() }),
    });
    await expect(Stricter.load(`prod-${tag}`)).rejects.toThrow(BlockDataError);
    await expect(Stricter.load(`prod-${tag}`)).rejects.toThrow(/sdk-warehouse\/prod-\w+ .*database/);
  });

  it("calls a webhook with its secret headers and names the block, not the URL, on failure", async () => {
    const base = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
    await Webhook.save(`on-call-${tag}`, {
      url: `${base}/ok`,
      headers: { authorization: "Bearer hook-token-1" },
    });
    const target = await Webhook.load(`on-call-${tag}`);
    await target.call({ text: "build failed" });
    expect(received.at(-1)).toEqual({
      method: "POST",
      auth: "Bearer hook-token-1",
      body: '{"text":"build failed"}',
    });
    expect(JSON.stringify(target)).not.toContain(base);
    await Webhook.save(`broken-${tag}`, { url: `${base}/fail` });
    const broken = await Webhook.load(`broken-${tag}`);
    const error = await broken.call().then(
      () => new Error("expected the call to fail"),
      (e: unknown) => e as Error,
    );
    expect(error.message).toContain(`webhook/broken-${tag} answered 500`);
    expect(error.message).not.toContain(base);
  });
});
