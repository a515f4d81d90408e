import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "@sluice/client";
import { startTestServer } from "@sluice/server";
import { REPO_ROOT, runCli } from "../../testing/run-cli.js";

// The real CLI imports a module written inside the repository (so it resolves @sluice/sdk and zod).
let server: Awaited<ReturnType<typeof startTestServer>>;
let api: ReturnType<typeof createClient>;
let env: Record<string, string>;
let dir: string;
const slug = `warehouse-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  server = await startTestServer();
  api = createClient({ baseUrl: server.url });
  env = { SLUICE_API_URL: server.url };
  mkdirSync(join(REPO_ROOT, ".sluice"), { recursive: true });
  dir = mkdtempSync(join(REPO_ROOT, ".sluice", "cli-block-register-"));
  writeFileSync(
    join(dir, "blocks.ts"),
    `import { defineBlockType } from "@sluice/sdk";
import { z } from "zod";
export const Warehouse = defineBlockType({
  slug: "${slug}",
  name: "Warehouse",
  schema: z.object({ host: z.string(), password: z.string() }),
  secretFields: ["password"],
});
export const notABlock = 1;
`,
  );
  writeFileSync(join(dir, "none.ts"), "export const nothing = 1;\n");
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("sluice block register", () => {
  it("registers the block types a module exports, and names a module with none", async () => {
    const result = await runCli(["block", "register", join(dir, "blocks.ts")], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Registered block type ${slug} (secret fields: password)`);
    expect(await api.call("readBlockType", { params: { slug } })).toMatchObject({
      name: "Warehouse",
      secretFields: ["password"],
      builtIn: false,
      schema: { type: "object", required: ["host", "password"] },
    });

    const none = await runCli(["block", "register", join(dir, "none.ts")], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("exports no block types; declare one with defineBlockType");
    const missing = await runCli(["block", "register", join(dir, "absent.ts")], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/module not found: .*absent\.ts \(looked at /);
  });
});
