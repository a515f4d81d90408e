/**
 * The README's promise, end to end, through the built packages a newcomer gets from `npm install`:
 * the flow in the README (retries and caching) runs with the linked `sluice` command, and its runs
 * show in `sluice flow-run ls`. The flow's source is read from README.md itself, so the README cannot
 * drift from what works.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "@sluice/client";
import { startTestServer, type TestServer } from "@sluice/server";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
// The command `npm install` links, as `npx sluice` finds it.
const CLI = join(ROOT, "node_modules/.bin/sluice");

function readmeFlow(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const match = /```ts\n(\/\/ flows\/etl\.ts\n[\s\S]*?)```/.exec(readme);
  if (!match?.[1]) throw new Error("README.md has no ```ts block starting with // flows/etl.ts");
  return match[1];
}

function sluice(cwd: string, env: Record<string, string>, ...args: string[]) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SLUICE_")));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...clean, NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the README quickstart", () => {
  let server: TestServer;
  let project: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    // dist/ is what `npm install` builds; bring it up to date with the source under test.
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    execFileSync(process.execPath, [tsc, "-b", "packages/cli/tsconfig.build.json"], {
      cwd: ROOT,
      stdio: "inherit",
    });
    server = await startTestServer();
    // Inside the repository, so `@sluice/sdk` resolves as it does in a project that installed it.
    mkdirSync(join(ROOT, ".sluice"), { recursive: true });
    project = mkdtempSync(join(ROOT, ".sluice", "e2e-project-"));
    mkdirSync(join(project, "flows"));
    writeFileSync(join(project, "flows/etl.ts"), readmeFlow());
    writeFileSync(join(project, "rows.json"), "[1, 2, 3]\n");
    env = { SLUICE_API_URL: server.url, SLUICE_HOME: mkdtempSync(join(tmpdir(), "sluice-e2e-home-")) };
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    if (project) rmSync(project, { recursive: true, force: true });
    if (env?.SLUICE_HOME) rmSync(env.SLUICE_HOME, { recursive: true, force: true });
  });

  it("runs the README flow twice, the second time from cache, and lists both runs", async () => {
    const first = await sluice(project, env, "run", "flows/etl.ts:etl", "--param", "path=rows.json");
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/of etl finished: Completed/);

    const second = await sluice(project, env, "run", "flows/etl.ts:etl", "--param", "path=rows.json");
    expect(second.code, second.stderr).toBe(0);

    const listed = await sluice(project, env, "flow-run", "ls", "--flow", "etl", "--json");
    expect(listed.code, listed.stderr).toBe(0);
    const runs = JSON.parse(listed.stdout) as { id: string; stateType: string; flowName: string }[];
    expect(runs).toHaveLength(2);
    expect(runs.map((r) => r.stateType)).toEqual(["COMPLETED", "COMPLETED"]);

    const client = createClient({ baseUrl: server.url });
    const latest = runs[0]!.id;
    const tasks = await client.call("filterTaskRuns", { body: { flowRunIds: [latest] } });
    const total = tasks.items.find((t) => t.name.startsWith("total"));
    expect(total?.stateName).toBe("Cached");

    // Filtered: on the shared PostgreSQL test database other files' future runs fill an unfiltered page.
    const table = await sluice(project, env, "flow-run", "ls", "--flow", "etl");
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/etl/);
    expect(table.stdout).toMatch(/Completed/);
  });

  it("stops a run with invalid parameters before it starts, naming the field", async () => {
    const client = createClient({ baseUrl: server.url });
    const before = await client.call("countFlowRuns", { body: { flowNames: ["etl"] } });
    const bad = await sluice(project, env, "run", "flows/etl.ts:etl", "--param", "path=");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr + bad.stdout).toMatch(/path/);
    const after = await client.call("countFlowRuns", { body: { flowNames: ["etl"] } });
    expect(after.count).toBe(before.count);
  });
});
