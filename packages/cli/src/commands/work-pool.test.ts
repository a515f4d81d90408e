import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "@sluice/client";
import { defaultBaseJobTemplate, type WorkPool, type WorkQueue } from "@sluice/contracts";
import { startTestServer } from "@sluice/server";
import { runCli } from "../testing/run-cli.js";

// One real server for the file; the real CLI runs against it in subprocesses.
let server: Awaited<ReturnType<typeof startTestServer>>;
let api: ReturnType<typeof createClient>;
let env: Record<string, string>;
let dir: string;
const suffix = randomUUID().slice(0, 8);
const pool = `cli-pool-${suffix}`;

beforeAll(async () => {
  server = await startTestServer();
  api = createClient({ baseUrl: server.url });
  env = { SLUICE_API_URL: server.url };
  dir = mkdtempSync(join(tmpdir(), "sluice-work-pool-test-"));
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const json = <T>(stdout: string) => JSON.parse(stdout) as T;

describe("sluice work-pool", () => {
  it("creates a pool, refuses a second one with the same name and an unknown type", async () => {
    const created = await runCli(
      ["work-pool", "create", pool, "--type", "process", "--concurrency-limit", "3"],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`Created process work pool ${pool} with queue default.`);
    const again = await runCli(["work-pool", "create", pool], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/conflict/);
    const badType = await runCli(["work-pool", "create", `${pool}-x`, "--type", "lambda"], env);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toContain('invalid --type "lambda": expected one of process, docker, kubernetes');
  });

  it("takes a base job template from a file, and names what is wrong with a bad one", async () => {
    const template = {
      variables: { type: "object", properties: { image: { type: "string", default: "node:22" } } },
      jobConfiguration: { image: "{{ image }}" },
    };
    const good = join(dir, "template.json");
    writeFileSync(good, JSON.stringify(template));
    const created = await runCli(
      ["work-pool", "create", `${pool}-docker`, "--type", "docker", "--base-job-template", good, "--json"],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(json<WorkPool>(created.stdout).baseJobTemplate).toEqual(template);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ variables: {} }));
    const refused = await runCli(["work-pool", "create", `${pool}-bad`, "--base-job-template", bad], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/jobConfiguration: /);
  });

  it("lists pools and shows one with its queues and workers", async () => {
    await api.call("workerHeartbeat", { params: { pool }, body: { name: `${pool}-worker` } });
    const listed = await runCli(["work-pool", "ls", "--json"], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(json<WorkPool[]>(listed.stdout).map((p) => p.name)).toContain(pool);
    const table = await runCli(["work-pool", "ls", "--type", "docker"], env);
    expect(table.stdout).toMatch(new RegExp(`^${pool}-docker\\s+docker`, "m"));
    expect(table.stdout).not.toMatch(new RegExp(`^${pool}\\s`, "m"));
    const inspected = await runCli(["work-pool", "inspect", pool], env);
    expect(inspected.code, inspected.stderr).toBe(0);
    expect(inspected.stdout).toMatch(/Concurrency limit:\s+3/);
    expect(inspected.stdout).toMatch(/Queues:\n.*NAME.*\n\s+default\s+1/);
    expect(inspected.stdout).toMatch(new RegExp(`Workers:\\n.*NAME.*\\n\\s+${pool}-worker\\s+ONLINE`));
    const unknown = await runCli(["work-pool", "inspect", `${pool}-nope`], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("work_pool_not_found");
  });

  it("updates, pauses and resumes a pool", async () => {
    const raised = await runCli(["work-pool", "update", pool, "--concurrency-limit", "5", "--json"], env);
    expect(json<WorkPool>(raised.stdout).concurrencyLimit).toBe(5);
    const cleared = await runCli(
      ["work-pool", "update", pool, "--clear-concurrency-limit", "--description", "d"],
      env,
    );
    expect(cleared.stdout).toContain("concurrency limit: no limit");
    expect((await api.call("readWorkPool", { params: { pool } })).description).toBe("d");
    const both = await runCli(
      ["work-pool", "update", pool, "--concurrency-limit", "1", "--clear-concurrency-limit"],
      env,
    );
    expect(both.code).toBe(2);
    const nothing = await runCli(["work-pool", "update", pool], env);
    expect(nothing.code).toBe(2);
    const paused = await runCli(["work-pool", "pause", pool], env);
    expect(paused.stdout).toContain(`Work pool ${pool} is now PAUSED.`);
    expect((await api.call("readWorkPool", { params: { pool } })).paused).toBe(true);
    const resumed = await runCli(["work-pool", "resume", pool], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect((await api.call("readWorkPool", { params: { pool } })).paused).toBe(false);
  });

  it("prints a type's default base job template", async () => {
    const printed = await runCli(["work-pool", "get-default-base-job-template", "--type", "kubernetes"], env);
    expect(printed.code, printed.stderr).toBe(0);
    expect(JSON.parse(printed.stdout)).toEqual(defaultBaseJobTemplate("kubernetes"));
  });
});

describe("sluice work-queue", () => {
  it("creates, lists, inspects, updates, pauses, resumes and deletes a queue", async () => {
    const created = await runCli(
      ["work-queue", "create", "urgent", "--pool", pool, "--priority", "1", "--concurrency-limit", "2"],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`Created work queue urgent in pool ${pool} (priority 1).`);
    const listed = await runCli(["work-queue", "ls", "--pool", pool, "--json"], env);
    const queues = json<WorkQueue[]>(listed.stdout);
    expect(queues.map((q) => q.name).sort()).toEqual(["default", "urgent"]);
    expect(queues.find((q) => q.name === "urgent")?.concurrencyLimit).toBe(2);
    const inspected = await runCli(["work-queue", "inspect", "urgent", "--pool", pool], env);
    expect(inspected.stdout).toMatch(/Priority:\s+1/);
    const updated = await runCli(
      [
        "work-queue",
        "update",
        "urgent",
        "--pool",
        pool,
        "--priority",
        "7",
        "--clear-concurrency-limit",
        "--json",
      ],
      env,
    );
    expect(json<WorkQueue>(updated.stdout)).toMatchObject({ priority: 7, concurrencyLimit: null });
    await runCli(["work-queue", "pause", "urgent", "--pool", pool], env);
    expect((await api.call("readWorkQueue", { params: { pool, queue: "urgent" } })).paused).toBe(true);
    await runCli(["work-queue", "resume", "urgent", "--pool", pool], env);
    expect((await api.call("readWorkQueue", { params: { pool, queue: "urgent" } })).paused).toBe(false);
    const refused = await runCli(["work-queue", "delete", "urgent", "--pool", pool], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("pass --yes to proceed");
    const deleted = await runCli(["work-queue", "delete", "urgent", "--pool", pool, "--yes"], env);
    expect(deleted.code, deleted.stderr).toBe(0);
    const gone = await runCli(["work-queue", "inspect", "urgent", "--pool", pool], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain("work_queue_not_found");
  });

  it("needs --pool, and names an unknown pool", async () => {
    const noPool = await runCli(["work-queue", "ls"], env);
    expect(noPool.code).toBe(2);
    expect(noPool.stderr).toMatch(/--pool/);
    const unknown = await runCli(["work-queue", "create", "q", "--pool", `${pool}-nope`], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("work_pool_not_found");
  });

  it("deletes a pool only with --yes when it cannot ask", async () => {
    const refused = await runCli(["work-pool", "delete", `${pool}-docker`], env);
    expect(refused.code).toBe(2);
    const deleted = await runCli(["work-pool", "delete", `${pool}-docker`, "--yes"], env);
    expect(deleted.code, deleted.stderr).toBe(0);
    await expect(api.call("readWorkPool", { params: { pool: `${pool}-docker` } })).rejects.toMatchObject({
      code: "work_pool_not_found",
    });
  });
});
