import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient, type SluiceClient } from "@sluice/client";
import { startTestServer, type TestServer } from "@sluice/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../testing/run-cli.js";
import { resolveEntrypointFile } from "./flow-run-execute.js";

/** Named per test run: on PostgreSQL the database outlives one run. */
const POOL = `execute-pool-${randomUUID().slice(0, 8)}`;
const FLOWS_DIR = fileURLToPath(new URL("../testing/fixtures/deployment/", import.meta.url));

describe("resolveEntrypointFile", () => {
  const root = mkdtempSync(join(tmpdir(), "sluice-entrypoint-"));
  mkdirSync(join(root, "flows"));
  writeFileSync(join(root, "flows", "etl.ts"), "export {};\n");
  const outside = mkdtempSync(join(tmpdir(), "sluice-outside-"));
  writeFileSync(join(outside, "evil.ts"), "export {};\n");
  symlinkSync(join(outside, "evil.ts"), join(root, "flows", "link.ts"));

  it("resolves a file inside the deployment's directory", () => {
    expect(resolveEntrypointFile("flows/etl.ts", root)).toBe(join(root, "flows", "etl.ts"));
    expect(resolveEntrypointFile("./flows/../flows/etl.ts", root)).toBe(join(root, "flows", "etl.ts"));
  });

  it("refuses files outside it: through .., an absolute path or a symbolic link", () => {
    for (const file of ["../evil.ts", join(outside, "evil.ts"), "flows/link.ts"]) {
      expect(() => resolveEntrypointFile(file, root)).toThrow(/is outside the deployment's directory/);
    }
  });
});

describe("sluice flow-run execute", () => {
  let server: TestServer;
  let api: SluiceClient;
  beforeAll(async () => {
    server = await startTestServer();
    api = createClient({ baseUrl: server.url });
    await api.call("createWorkPool", { body: { name: POOL, type: "process" } });
  });
  afterAll(() => server?.close());

  async function deploymentRun(entrypoint: string, parameters: Record<string, unknown> = {}) {
    const deployment = await api.call("upsertDeployment", {
      body: {
        flowName: "worker-greet",
        name: `execute-${entrypoint.replace(/[^a-z]/gi, "")}`,
        entrypoint,
        path: FLOWS_DIR,
        workPoolName: POOL,
      },
    });
    return api.call("createDeploymentFlowRun", { params: { id: deployment.id }, body: { parameters } });
  }

  it("runs a deployment's flow run to COMPLETED and exits 0", async () => {
    const run = await deploymentRun("flows.ts:greet", { name: "Grace" });
    const result = await runCli(["flow-run", "execute", run.id], { SLUICE_API_URL: server.url });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("plain stdout: hello Grace");
    expect(await api.readFlowRun(run.id)).toMatchObject({ stateType: "COMPLETED" });
  });

  it("takes the run from SLUICE_FLOW_RUN_ID, as a job's own command may", async () => {
    const run = await deploymentRun("flows.ts:greet");
    const result = await runCli(["flow-run", "execute"], {
      SLUICE_API_URL: server.url,
      SLUICE_FLOW_RUN_ID: run.id,
    });
    expect(result.code).toBe(0);
  });

  it("marks the run FAILED and exits 1 when the export is missing, naming it and the flows there are", async () => {
    const run = await deploymentRun("flows.ts:nope");
    const result = await runCli(["flow-run", "execute", run.id], { SLUICE_API_URL: server.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('has no export named "nope"');
    expect(result.stderr).toContain("greet");
    const failed = await api.readFlowRun(run.id);
    expect(failed.stateType).toBe("FAILED");
    expect(failed.state?.message).toContain('has no export named "nope"');
  });

  it("marks the run FAILED when the file is missing, naming the path it looked at", async () => {
    const run = await deploymentRun("missing.ts:flow");
    const result = await runCli(["flow-run", "execute", run.id], { SLUICE_API_URL: server.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`flow file not found`);
    expect(result.stderr).toContain(join(FLOWS_DIR, "missing.ts"));
    expect((await api.readFlowRun(run.id)).stateType).toBe("FAILED");
  });

  it("refuses a run that no deployment made", async () => {
    const run = await api.createFlowRun({ flowName: "not-deployed" });
    const result = await runCli(["flow-run", "execute", run.id], { SLUICE_API_URL: server.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("was not made by a deployment");
  });
});

describe("flow-run execute --warm-spare (the lean entry a worker keeps started)", () => {
  const ENTRY = fileURLToPath(new URL("../flow-run-execute-main.ts", import.meta.url));

  /** Starts a spare, writes `input` on its stdin (then closes it), and reports how it ended. */
  function spare(input: string) {
    const child = spawn(
      process.execPath,
      ["--conditions=@sluice/source", "--import", "tsx", ENTRY, "--warm-spare"],
      { stdio: ["pipe", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stdin.end(input);
    return new Promise<{ code: number | null; output: string }>((resolve) =>
      child.once("exit", (code) => resolve({ code, output })),
    );
  }

  it("exits quietly when its stdin closes before it is handed a run (its worker went away)", async () => {
    expect(await spare("")).toEqual({ code: 0, output: "" });
  });

  it("refuses a handoff that is not a run, naming the field", async () => {
    const { code, output } = await spare(`${JSON.stringify({ flowRunId: "x", cwd: 3, env: {} })}\n`);
    expect(code).toBe(1);
    expect(output).toContain("invalid warm handoff from the worker: field cwd");
  });
});
