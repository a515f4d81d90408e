import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "@sluice/client";
import type { Deployment } from "@sluice/contracts";
import { startTestServer } from "@sluice/server";
import { REPO_ROOT, runCli } from "../testing/run-cli.js";

// A real server; the real CLI deploys a project written to a directory inside the repository (so the
// flow file resolves @sluice/sdk as in an installed project).
let server: Awaited<ReturnType<typeof startTestServer>>;
let api: ReturnType<typeof createClient>;
let env: Record<string, string>;
let project: string;
const suffix = randomUUID().slice(0, 8);
const pool = `cli-deploy-${suffix}`;
const etlFlow = `cli-deploy-etl-${suffix}`;
const reportFlow = `cli-deploy-report-${suffix}`;

const FLOWS = `import { flow } from "@sluice/sdk";
import { z } from "zod";
export const etl = flow(
  { name: "${etlFlow}", parameters: z.object({ limit: z.number().int().min(1) }) },
  async ({ limit }) => limit,
);
export const report = flow({ name: "${reportFlow}" }, async () => "ok");
export const notAFlow = 1;
`;

const PROJECT = `defaults: &defaults
  workPool:
    name: "{{ $DEPLOY_POOL }}"
deployments:
  - name: nightly
    entrypoint: flows/etl.ts:etl
    <<: *defaults
    parameters: { limit: 3 }
    schedules:
      - cron: "0 3 * * *"
        timezone: America/New_York
      - interval: PT1H
  - name: adhoc
    entrypoint: flows/etl.ts:report
    <<: *defaults
`;

const BROKEN = `deployments:
  - name: missing-file
    entrypoint: flows/nope.ts:etl
  - name: missing-export
    entrypoint: flows/etl.ts:nothing
  - name: not-a-flow
    entrypoint: flows/etl.ts:notAFlow
  - name: bad-schedules
    entrypoint: flows/etl.ts:etl
    schedules:
      - cron: "61 * * * *"
      - rrule: "FREQ=DAILY"
        timezone: Mars/Olympus
  - name: unknown-pool
    entrypoint: flows/etl.ts:etl
    workPool: { name: no-such-pool }
`;

beforeAll(async () => {
  server = await startTestServer();
  api = createClient({ baseUrl: server.url });
  env = { SLUICE_API_URL: server.url, DEPLOY_POOL: pool };
  mkdirSync(join(REPO_ROOT, ".sluice"), { recursive: true });
  project = mkdtempSync(join(REPO_ROOT, ".sluice", "cli-deploy-"));
  mkdirSync(join(project, "flows"));
  writeFileSync(join(project, "flows", "etl.ts"), FLOWS);
  writeFileSync(join(project, "sluice.yaml"), PROJECT);
  writeFileSync(join(project, "broken.yaml"), BROKEN);
  await api.call("createWorkPool", { body: { name: pool, type: "process" } });
});

afterAll(async () => {
  await server.close();
  rmSync(project, { recursive: true, force: true });
});

const file = (name = "sluice.yaml") => join(project, name);
const read = (flowName: string, name: string) =>
  api.call("readDeploymentByName", { params: { flowName, name } });

describe("sluice deploy", () => {
  it("asks which deployment when the file has several and no flag says", async () => {
    const result = await runCli(["deploy", "--file", file()], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "has 2 deployments (nightly, adhoc); choose with --name NAME (repeatable) or --all",
    );
    const unknown = await runCli(["deploy", "--file", file(), "--name", "weekly"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('has no deployment named "weekly"; it has nightly, adhoc');
  });

  it("deploys one by name with the flow's parameter schema and prints a summary", async () => {
    const result = await runCli(["deploy", "--file", file(), "--name", "nightly"], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Deployed ${etlFlow}/nightly`);
    expect(result.stdout).toContain(`work pool:  ${pool} / default`);
    expect(result.stdout).toContain('cron "0 3 * * *" (America/New_York)');
    expect(result.stdout).toContain("every 1h (UTC)");
    // The server schedules runs as soon as a deployment is upserted; the summary lists the first ones.
    expect(result.stdout).toMatch(/next runs: {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC {2}\S+/);
    expect(result.stdout).toContain(`run it:     sluice deployment run ${etlFlow}/nightly`);
    const deployment = await read(etlFlow, "nightly");
    expect(deployment).toMatchObject({
      entrypoint: "flows/etl.ts:etl",
      path: project,
      parameters: { limit: 3 },
      workPoolName: pool,
      enforceParameterSchema: true,
    });
    expect(deployment.parameterSchema).toMatchObject({ properties: { limit: { type: "integer" } } });
    expect(deployment.schedules.map((s) => s.schedule.kind)).toEqual(["cron", "interval"]);
    await expect(read(reportFlow, "adhoc")).rejects.toMatchObject({ code: "deployment_not_found" });
  });

  it("removes on the server a schedule removed from the file", async () => {
    writeFileSync(file("fewer.yaml"), PROJECT.replace("      - interval: PT1H\n", ""));
    const result = await runCli(["deploy", "--file", file("fewer.yaml"), "--all"], env);
    expect(result.code, result.stderr).toBe(0);
    expect((await read(etlFlow, "nightly")).schedules.map((s) => s.schedule.kind)).toEqual(["cron"]);
    expect((await read(reportFlow, "adhoc")).schedules).toEqual([]);
    writeFileSync(file("none.yaml"), PROJECT.replace(/ {4}schedules:\n(.*\n){3}/, ""));
    const cleared = await runCli(["deploy", "--file", file("none.yaml"), "--name", "nightly"], env);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect((await read(etlFlow, "nightly")).schedules).toEqual([]);
  });

  it("reports every problem of the chosen deployments at its line and column, deploying nothing", async () => {
    const result = await runCli(["deploy", "--file", file("broken.yaml"), "--all"], env);
    expect(result.code).toBe(1);
    const lines = result.stderr.split("\n").filter((l) => /broken\.yaml:\d+/.test(l));
    expect(result.stderr).toMatch(/broken\.yaml has 6 problems:/);
    expect(lines).toEqual([
      expect.stringMatching(
        /broken\.yaml:3:17: deployments\[0\]\.entrypoint: the file flows\/nope\.ts does not exist/,
      ),
      expect.stringMatching(
        /broken\.yaml:5:17: deployments\[1\]\.entrypoint: flows\/etl\.ts has no export named "nothing"; it exports the flows etl, report$/,
      ),
      expect.stringMatching(
        /broken\.yaml:7:17: deployments\[2\]\.entrypoint: export "notAFlow" of flows\/etl\.ts is not a flow/,
      ),
      expect.stringMatching(/broken\.yaml:11:15: deployments\[3\]\.schedules\[0\]\.cron: .*61/),
      expect.stringMatching(
        /broken\.yaml:13:19: deployments\[3\]\.schedules\[1\]\.timezone: .*Mars\/Olympus/,
      ),
      expect.stringMatching(
        /broken\.yaml:16:23: deployments\[4\]\.workPool\.name: no work pool named "no-such-pool"/,
      ),
    ]);
    const page = await api.call("filterDeployments", { body: { nameLike: "missing" } });
    expect(page.items).toEqual([]);
  });

  it("fills variable and block templates from the server, refusing a secret field", async () => {
    const limitVar = `deploy_limit_${suffix.replace(/-/g, "_")}`;
    await api.call("setVariable", { params: { name: limitVar }, body: { value: 4 } });
    await api.call("saveBlock", {
      params: { type: "json", name: `tier-${suffix}` },
      body: { data: { value: "gold" } },
    });
    await api.call("saveBlock", {
      params: { type: "secret", name: `token-${suffix}` },
      body: { data: { value: "deploy-secret-value" } },
    });
    const templated = `deployments:
  - name: templated
    entrypoint: flows/etl.ts:etl
    concurrencyLimit: "{{ variables.${limitVar} }}"
    parameters:
      limit: "{{ variables.${limitVar} }}"
    tags: ["tier-{{ blocks.json.tier-${suffix}.value }}"]
`;
    writeFileSync(file("templated.yaml"), templated);
    const result = await runCli(["deploy", "--file", file("templated.yaml")], env);
    expect(result.code, result.stderr).toBe(0);
    expect(await read(etlFlow, "templated")).toMatchObject({
      concurrencyLimit: 4,
      parameters: { limit: 4 },
      tags: ["tier-gold"],
    });
    await api.call("deleteDeployment", { params: { id: (await read(etlFlow, "templated")).id } });

    writeFileSync(
      file("secret.yaml"),
      `deployments:\n  - name: leaky\n    entrypoint: flows/etl.ts:etl\n    parameters:\n      token: "{{ blocks.secret.token-${suffix}.value }}"\n      limit: "{{ variables.missing_${limitVar} }}"\n`,
    );
    const refused = await runCli(["deploy", "--file", file("secret.yaml")], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('would copy the secret field "value" into the deployment');
    expect(refused.stderr).toContain(`no variable named "missing_${limitVar}" on the server`);
    expect(refused.stderr).not.toContain("deploy-secret-value");
    await expect(read(etlFlow, "leaky")).rejects.toMatchObject({ code: "deployment_not_found" });
  });

  it("names a missing project file", async () => {
    const result = await runCli(["deploy", "--file", file("nope.yaml")], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("project file not found");
  });
});

describe("sluice deployment", () => {
  beforeAll(async () => {
    const result = await runCli(["deploy", "--file", file(), "--all"], env);
    expect(result.code, result.stderr).toBe(0);
  });

  it("lists, inspects, pauses, resumes and deletes", async () => {
    const listed = await runCli(["deployment", "ls", "--flow", etlFlow, "--json"], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as Deployment[]).map((d) => d.name)).toEqual(["nightly"]);
    const inspected = await runCli(["deployment", "inspect", `${etlFlow}/nightly`], env);
    expect(inspected.stdout).toMatch(new RegExp(`Deployment:\\s+${etlFlow}/nightly`));
    expect(inspected.stdout).toContain('cron "0 3 * * *" (America/New_York)');
    const paused = await runCli(["deployment", "pause", `${reportFlow}/adhoc`], env);
    expect(paused.code, paused.stderr).toBe(0);
    expect((await read(reportFlow, "adhoc")).paused).toBe(true);
    await runCli(["deployment", "resume", `${reportFlow}/adhoc`], env);
    expect((await read(reportFlow, "adhoc")).paused).toBe(false);
    const byId = await runCli(["deployment", "delete", (await read(reportFlow, "adhoc")).id, "--yes"], env);
    expect(byId.code, byId.stderr).toBe(0);
    const gone = await runCli(["deployment", "inspect", `${reportFlow}/adhoc`], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain("deployment_not_found");
  });

  it("refuses a run with invalid parameters, naming each field", async () => {
    const result = await runCli(["deployment", "run", `${etlFlow}/nightly`, "--param", "limit=0"], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `Invalid parameters for deployment ${etlFlow}/nightly; no run was created.`,
    );
    expect(result.stderr).toMatch(/- parameters\.limit: /);
  });

  it("creates a run for later with --start-in and prints its id, name and URL", async () => {
    const result = await runCli(
      ["deployment", "run", `${etlFlow}/nightly`, "--param", "limit=4", "--start-in", "2h"],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const id = /\(([0-9a-f-]{36})\)/.exec(result.stdout)?.[1] ?? "";
    const run = await api.call("readFlowRun", { params: { id } });
    expect(result.stdout).toContain(`Created flow run ${run.name} (${id})`);
    expect(result.stdout).toContain(`${server.url}/runs/${id}`);
    expect(run.parameters).toEqual({ limit: 4 });
    expect(Date.parse(run.nextScheduledStartTime ?? "")).toBeGreaterThan(Date.now() + 100 * 60_000);
    const bad = await runCli(["deployment", "run", `${etlFlow}/nightly`, "--start-in", "soon"], env);
    expect(bad.code).toBe(2);
  });

  /** Starts `deployment run --watch` and drives the run it creates through `states` with the API. */
  async function watch(
    limit: number,
    states: { type: "RUNNING" | "COMPLETED" | "FAILED"; message?: string }[],
  ) {
    const watching = runCli(
      ["deployment", "run", `${etlFlow}/nightly`, "--param", `limit=${limit}`, "--watch"],
      env,
    );
    const deployment = await read(etlFlow, "nightly");
    let runId: string | undefined;
    for (let i = 0; runId === undefined && i < 300; i += 1) {
      const page = await api.call("filterFlowRuns", { body: { deploymentIds: [deployment.id], limit: 50 } });
      runId = page.items.find((r) => r.parameters.limit === limit)?.id;
      if (runId === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (runId === undefined) throw new Error(`the watched run with limit ${limit} never appeared`);
    await api.call("createLogs", {
      body: {
        logs: [
          {
            flowRunId: runId,
            name: "test",
            level: 20,
            message: `log line ${limit}`,
            timestamp: new Date().toISOString(),
          },
        ],
      },
    });
    for (const state of states) {
      await api.call("setFlowRunState", { params: { id: runId }, body: { state, force: true } });
    }
    return watching;
  }

  it("--watch prints states and logs and exits 0 when the run completes", async () => {
    const result = await watch(11, [{ type: "RUNNING" }, { type: "COMPLETED" }]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("log line 11");
    // RUNNING lasted less than one poll; it is printed from the state history all the same.
    expect(result.stdout).toMatch(/ is Running$/m);
    expect(result.stdout).toMatch(/ended Completed$/m);
  });

  it("--watch exits 1 when the run fails, printing its final state and message", async () => {
    const result = await watch(12, [{ type: "RUNNING" }, { type: "FAILED", message: "it broke" }]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/ended Failed: it broke$/m);
  });
});
