import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "@sluice/client";
import { startTestServer } from "@sluice/server";
import { runCli } from "./testing/run-cli.js";

// One real server for the file; each subprocess runs the real CLI against it through SLUICE_API_URL.
let server: Awaited<ReturnType<typeof startTestServer>>;
let api: ReturnType<typeof createClient>;
let env: Record<string, string>;
const suffix = randomUUID().slice(0, 8);
const flowName = `cli-test-${suffix}`;
const ids = { done: "", running: "", following: "", doomed: "", taskRun: randomUUID() };
const now = () => new Date().toISOString();

async function createRun(state: "RUNNING" | "COMPLETED", parameters: Record<string, unknown> = {}) {
  const run = await api.call("createFlowRun", {
    body: { flowName, parameters, tags: ["cli-test"], state: { type: "RUNNING" } },
  });
  if (state === "COMPLETED") {
    await api.call("setFlowRunState", { params: { id: run.id }, body: { state: { type: "COMPLETED" } } });
  }
  return run.id;
}

beforeAll(async () => {
  server = await startTestServer();
  api = createClient({ baseUrl: server.url });
  env = { SLUICE_API_URL: server.url };
  ids.done = await createRun("COMPLETED", { name: "ada", n: 2 });
  ids.running = await createRun("RUNNING");
  ids.following = await createRun("RUNNING");
  ids.doomed = await createRun("COMPLETED");
  await api.call("createLogs", {
    body: {
      logs: [
        {
          flowRunId: ids.done,
          name: "sluice.flow_runs",
          level: 20,
          message: "hello from the cli test",
          timestamp: now(),
        },
        {
          flowRunId: ids.done,
          name: "sluice.flow_runs",
          level: 40,
          message: "an error line",
          timestamp: now(),
        },
        {
          flowRunId: ids.following,
          name: "sluice.flow_runs",
          level: 20,
          message: "first line",
          timestamp: now(),
        },
      ],
    },
  });
  const state = {
    id: randomUUID(),
    type: "COMPLETED",
    name: "Completed",
    timestamp: now(),
    message: null,
    details: {},
    result: null,
  } as const;
  await api.call("recordTaskRuns", {
    body: {
      taskRuns: [
        { id: ids.taskRun, flowRunId: ids.done, taskKey: "double", name: "double-0", dynamicKey: "0" },
      ],
      states: [{ taskRunId: ids.taskRun, state }],
    },
  });
  await api.call("createArtifact", {
    body: {
      type: "markdown",
      key: `report-${suffix}`,
      flowRunId: ids.done,
      data: { markdown: "# Report\n\nRows: **42**\n\n| name | rows |\n|---|---|\n| users | 1200 |" },
    },
  });
  await api.call("createArtifact", {
    body: {
      type: "table",
      key: `table-${suffix}`,
      flowRunId: ids.done,
      data: { columns: ["name", "rows"], rows: [["users", 1200]] },
    },
  });
});

afterAll(async () => {
  await server?.close();
});

describe.concurrent("listings", () => {
  it("flow ls: table and --json", async () => {
    const [table, json] = await Promise.all([
      runCli(["flow", "ls"], env),
      runCli(["flow", "ls", "--json"], env),
    ]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+TAGS\s+CREATED/);
    expect(table.stdout).toContain(flowName);
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as { name: string }[]).map((f) => f.name)).toContain(flowName);
  });

  it("flow-run ls: filters by flow, state and tag; table and --json", async () => {
    const filter = ["--flow", flowName, "--tag", "cli-test", "--limit", "50"];
    const [table, json] = await Promise.all([
      runCli(["flow-run", "ls", ...filter, "--state", "running"], env),
      runCli(["flow-run", "ls", ...filter, "--state", "COMPLETED", "--json"], env),
    ]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+FLOW\s+STATE\s+START\s+DURATION\s+TAGS/);
    expect(table.stdout).toContain(ids.running);
    expect(table.stdout).not.toContain(ids.done);
    const runs = JSON.parse(json.stdout) as { id: string; stateType: string }[];
    expect(runs.map((r) => r.id)).toContain(ids.done);
    expect(runs.every((r) => r.stateType === "COMPLETED")).toBe(true);
  });

  it("task-run ls: table and --json", async () => {
    const [table, json] = await Promise.all([
      runCli(["task-run", "ls", "--flow-run", ids.done], env),
      runCli(["task-run", "ls", "--flow-run", ids.done, "--state", "COMPLETED", "--json"], env),
    ]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/double-0\s+\S+\s+Completed/);
    expect((JSON.parse(json.stdout) as { id: string }[]).map((t) => t.id)).toEqual([ids.taskRun]);
  });

  it("artifact ls and inspect: table, --json, markdown as text, tables aligned", async () => {
    const [table, json, markdown] = await Promise.all([
      runCli(["artifact", "ls", "--flow-run", ids.done], env),
      runCli(["artifact", "ls", "--key", `report-${suffix}`, "--json"], env),
      runCli(["artifact", "inspect", "--key", `report-${suffix}`], env),
    ]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain(`report-${suffix}`);
    expect(table.stdout).toContain(`table-${suffix}`);
    expect((JSON.parse(json.stdout) as { type: string }[]).map((a) => a.type)).toEqual(["markdown"]);
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(markdown.stdout).toContain("Report\n======\n\nRows: 42\n\nname   rows\n-----  ----\nusers  1200");
  });
});

describe.concurrent("one flow run", () => {
  it("inspect shows parameters and state history; unknown ids name the error code", async () => {
    const [human, unknown] = await Promise.all([
      runCli(["flow-run", "inspect", ids.done], env),
      runCli(["flow-run", "inspect", randomUUID()], env),
    ]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/State:\s+Completed/);
    expect(human.stdout).toContain('"name": "ada"');
    expect(human.stdout).toMatch(/State history:[\s\S]*RUNNING[\s\S]*COMPLETED/);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("flow_run_not_found");
  });

  it("logs prints lines, filters by level, and --follow tails until the run ends", async () => {
    const following = runCli(["flow-run", "logs", ids.following, "--follow", "--level", "info"], env);
    const all = await runCli(["flow-run", "logs", ids.done, "--level", "INFO"], env);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(
      /INFO\s+sluice\.flow_runs - hello from the cli test\n.*ERROR\s+sluice\.flow_runs - an error line/,
    );
    await api.call("createLogs", {
      body: {
        logs: [
          {
            flowRunId: ids.following,
            name: "sluice.flow_runs",
            level: 20,
            message: "last line",
            timestamp: now(),
          },
        ],
      },
    });
    await api.call("setFlowRunState", {
      params: { id: ids.following },
      body: { state: { type: "COMPLETED" } },
    });
    const followed = await following;
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stdout).toMatch(/first line[\s\S]*last line/);
    expect(followed.stderr).toContain("ended Completed");
  });

  it("cancel proposes CANCELLING; delete removes the run", async () => {
    const [cancel, del] = await Promise.all([
      runCli(["flow-run", "cancel", ids.running], env),
      runCli(["flow-run", "delete", ids.doomed, "--yes"], env),
    ]);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toMatch(/is now Cancell(ing|ed)/);
    expect(["CANCELLING", "CANCELLED"]).toContain(
      (await api.call("readFlowRun", { params: { id: ids.running } })).stateType,
    );
    expect(del.code, del.stderr).toBe(0);
    expect(del.stdout).toContain(`Deleted flow run`);
    await expect(api.call("readFlowRun", { params: { id: ids.doomed } })).rejects.toMatchObject({
      code: "flow_run_not_found",
    });
  });
});

describe.concurrent("sluice run", () => {
  const fixture = "packages/cli/src/testing/fixtures/flows.ts";

  it("runs an exported flow with parsed --param values and exits 0 when COMPLETED", async () => {
    const result = await runCli(
      ["run", `${fixture}:greet`, "--param", "name=ada", "--params", '{"times":2}', "--json"],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const outcome = JSON.parse(result.stdout) as { flowRunId: string; state: { type: string } };
    expect(outcome.state.type).toBe("COMPLETED");
    const run = await api.call("readFlowRun", { params: { id: outcome.flowRunId } });
    expect(run.parameters).toEqual({ name: "ada", times: 2 });
  });

  it("names every failing parameter and starts no run; exits 1 when the run fails", async () => {
    const count = () => api.call("countFlowRuns", { body: { flowNames: ["cli-fixture-strict"] } });
    const before = await count();
    const [invalid, failed] = await Promise.all([
      runCli(["run", `${fixture}:strict`, "--param", "times=0"], env),
      runCli(["run", `${fixture}:explode`], env),
    ]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain("Invalid parameters");
    expect(invalid.stderr).toMatch(/name/);
    expect(invalid.stderr).toMatch(/times/);
    expect((await count()).count).toBe(before.count);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("Failed");
  });

  it("explains a wrong export name or a missing file, listing the file's flows", async () => {
    const [wrong, missing] = await Promise.all([
      runCli(["run", `${fixture}:nope`], env),
      runCli(["run", "packages/cli/src/testing/fixtures/missing.ts:x"], env),
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('no export named "nope"');
    expect(wrong.stderr).toContain(
      "flows exported by packages/cli/src/testing/fixtures/flows.ts: explode, greet, strict",
    );
    expect(wrong.stderr).not.toContain("notAFlow");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("flow file not found");
  });
});

describe.concurrent("settings and version", () => {
  it("config view masks secrets", async () => {
    const secrets = {
      SLUICE_DATABASE_URL: "postgres://sluice:hunter2@db:5432/sluice",
      SLUICE_API_KEY: "key-123",
      SLUICE_ENCRYPTION_KEY: "enc-456",
    };
    const masked = await runCli(["config", "view"], secrets);
    expect(masked.code, masked.stderr).toBe(0);
    expect(masked.stdout).toContain("postgres://sluice:********@db:5432/sluice");
    expect(masked.stdout).not.toMatch(/hunter2|key-123|enc-456/);
    expect(masked.stdout).toMatch(/SLUICE_API_KEY\s+\*{8}\s+environment/);
  });

  it("version shows the CLI's and the server's", async () => {
    const result = await runCli(["version", "--json"], env);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as { cli: string; server: { version: string } | null };
    expect(parsed.cli).toBe("0.1.0");
    expect(parsed.server?.version).toBeTruthy();
  });
});
