import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "@sluice/server";
import { runCli } from "../../testing/run-cli.js";
import { parseBlockRef, readBlockData } from "./block-input.js";

// One real server for the file; the real CLI runs against it in subprocesses.
let server: Awaited<ReturnType<typeof startTestServer>>;
let env: Record<string, string>;
const suffix = randomUUID().slice(0, 8);
const SECRET = `s3cr3t-${randomUUID()}`;
const dir = mkdtempSync(join(tmpdir(), "sluice-cli-block-"));

beforeAll(async () => {
  server = await startTestServer();
  env = { SLUICE_API_URL: server.url };
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("block data from the command line", () => {
  it("overlays --field paths (JSON when it parses) on --data, and reads @- from stdin", async () => {
    const data = await readBlockData(
      {
        data: '{"bucket":"results","credentials":{"accessKeyId":"old"}}',
        field: ["credentials.accessKeyId=minio", "forcePathStyle=true", "credentials.secretAccessKey=@-"],
      },
      () => Promise.resolve(`${SECRET}\n`),
    );
    expect(data).toEqual({
      bucket: "results",
      forcePathStyle: true,
      credentials: { accessKeyId: "minio", secretAccessKey: SECRET },
    });
  });

  it("refuses no data, two sources, a bad path, and a field without = without repeating it", async () => {
    await expect(readBlockData({})).rejects.toThrow(/no data/);
    await expect(readBlockData({ data: "{}", dataFile: "x.json" })).rejects.toThrow(/not both/);
    await expect(readBlockData({ data: "[1]" })).rejects.toThrow(/expected a JSON object/);
    await expect(readBlockData({ field: ["a..b=1"] })).rejects.toThrow(/field path "a..b"/);
    const noEquals = readBlockData({ field: ["value:hunter2"] });
    await expect(noEquals).rejects.toThrow(/expected path=value/);
    await expect(noEquals).rejects.not.toThrow(/hunter2/);
    await expect(readBlockData({ field: ["a=1", "a.b=2"] })).rejects.toThrow(/a is not an object/);
  });

  it("splits TYPE/NAME", () => {
    expect(parseBlockRef("s3-bucket/results")).toEqual({ type: "s3-bucket", name: "results" });
    expect(() => parseBlockRef("results")).toThrow(/expected TYPE\/NAME/);
  });
});

describe("sluice block", () => {
  const block = `results-${suffix}`;

  it("creates a block with the secret from stdin, never printing the secret unless asked", async () => {
    const created = await runCli(
      [
        "block",
        "create",
        "s3-bucket",
        block,
        "--data",
        '{"bucket":"results","endpoint":"http://127.0.0.1:9000","forcePathStyle":true}',
        "--field",
        "credentials.accessKeyId=minio",
        "--field",
        "credentials.secretAccessKey=@-",
      ],
      env,
      60_000,
      `${SECRET}\n`,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout.trim()).toBe(`Created block s3-bucket/${block}`);
    const inspected = await runCli(["block", "inspect", `s3-bucket/${block}`], env);
    expect(inspected.code, inspected.stderr).toBe(0);
    expect(inspected.stdout).toContain(`block:          s3-bucket/${block}`);
    expect(inspected.stdout).toContain('"secretAccessKey": "********"');
    expect(inspected.stdout + inspected.stderr).not.toContain(SECRET);
    const shown = await runCli(["block", "inspect", `s3-bucket/${block}`, "--show-secrets", "--json"], env);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      secretsIncluded: true,
      data: { bucket: "results", credentials: { accessKeyId: "minio", secretAccessKey: SECRET } },
    });
    const listed = await runCli(["block", "ls", "--type", "s3-bucket", "--name", suffix, "--json"], env);
    const items = JSON.parse(listed.stdout) as { name: string; data: unknown }[];
    expect(items.map((b) => b.name)).toEqual([block]);
    expect(listed.stdout).not.toContain(SECRET);
    const table = await runCli(["block", "ls", "--name", suffix], env);
    expect(table.stdout).toMatch(new RegExp(`s3-bucket\\s+${block}\\s+credentials.secretAccessKey`));
  }, 120_000);

  it("refuses to replace without --overwrite; --overwrite from a file keeps the masked secret", async () => {
    const again = await runCli(["block", "create", "s3-bucket", block, "--data", '{"bucket":"other"}'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`block s3-bucket/${block} exists`);
    expect(again.stderr).toContain("--overwrite");
    const shown = await runCli(["block", "inspect", `s3-bucket/${block}`, "--json"], env);
    const data = (JSON.parse(shown.stdout) as { data: Record<string, unknown> }).data;
    const file = join(dir, "edited.json");
    writeFileSync(file, JSON.stringify({ ...data, bucket: "edited" }));
    const saved = await runCli(
      ["block", "create", "s3-bucket", block, "--data-file", file, "--overwrite"],
      env,
    );
    expect(saved.code, saved.stderr).toBe(0);
    const after = await runCli(["block", "inspect", `s3-bucket/${block}`, "--show-secrets", "--json"], env);
    expect(JSON.parse(after.stdout)).toMatchObject({
      data: { bucket: "edited", credentials: { secretAccessKey: SECRET } },
    });
  }, 120_000);

  it("names the field, the block and the type in errors", async () => {
    const invalid = await runCli(
      ["block", "create", "s3-bucket", `bad-${suffix}`, "--field", "credentials.accessKeyId=minio"],
      env,
    );
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain(`s3-bucket/bad-${suffix}`);
    expect(invalid.stderr).toContain("data.bucket: is required");
    expect(invalid.stderr).toContain("data.credentials.secretAccessKey: is required");
    const unknown = await runCli(["block", "create", "s4-bucket", `x-${suffix}`, "--data", "{}"], env);
    expect(unknown.stderr).toContain('no block type "s4-bucket"');
    const badRef = await runCli(["block", "inspect", "results"], env);
    expect(badRef.code).toBe(2);
  }, 120_000);

  it("deletes a block", async () => {
    const deleted = await runCli(["block", "delete", `s3-bucket/${block}`], env);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout.trim()).toBe(`Deleted block s3-bucket/${block}`);
    const missing = await runCli(["block", "inspect", `s3-bucket/${block}`], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no block s3-bucket/${block} (block_not_found)`);
  }, 60_000);

  it("lists and inspects block types", async () => {
    const listed = await runCli(["block", "type", "ls"], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(
      /s3-bucket\s+S3 bucket\s+yes\s+credentials\.secretAccessKey,credentials\.sessionToken/,
    );
    expect(listed.stdout).toMatch(/secret\s+Secret\s+yes\s+value/);
    const inspected = await runCli(["block", "type", "inspect", "webhook"], env);
    expect(inspected.stdout).toContain("secret fields:  url, headers");
    expect(inspected.stdout).toContain('"required": [');
    const missing = await runCli(["block", "type", "inspect", "nope"], env);
    expect(missing.stderr).toContain("block_type_not_found");
  }, 60_000);
});
