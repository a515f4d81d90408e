import { createClient, type SluiceClient } from "@sluice/client";
import { startTestServer } from "@sluice/server";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../testing/run-cli.js";

// One real server for the file; the real CLI runs against it in subprocesses.
let server: Awaited<ReturnType<typeof startTestServer>>;
let env: Record<string, string>;
let api: SluiceClient;
let deploymentId: string;
const pool = `cli-retry-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  server = await startTestServer();
  env = { SLUICE_API_URL: server.url };
  api = createClient({ baseUrl: server.url });
  await api.call("createWorkPool", { body: { name: pool, type: "process" } });
  const deployment = await api.call("upsertDeployment", {
    body: { flowName: `${pool}-flow`, name: "d", entrypoint: "flows/x.ts:x", workPoolName: pool },
  });
  deploymentId = deployment.id;
});
afterAll(() => server.close());

/** A deployment run that ran and ended in `end`. */
async function finishedRun(end: "FAILED" | "RUNNING"): Promise<string> {
  const run = await api.call("createDeploymentFlowRun", { params: { id: deploymentId }, body: {} });
  await api.setFlowRunState(run.id, { state: { type: "RUNNING" } });
  if (end !== "RUNNING") await api.setFlowRunState(run.id, { state: { type: end } });
  return run.id;
}

describe("sluice flow-run retry", () => {
  it("schedules a failed run again, from the failed task with --from-failed; refuses a running one", async () => {
    const [failed, running, other] = await Promise.all([
      finishedRun("FAILED"),
      finishedRun("RUNNING"),
      finishedRun("FAILED"),
    ]);
    const [fromFailed, refused, all] = await Promise.all([
      runCli(["flow-run", "retry", failed, "--from-failed"], env),
      runCli(["flow-run", "retry", running], env),
      runCli(["flow-run", "retry", other, "--json"], env),
    ]);
    expect(fromFailed.code, fromFailed.stderr).toBe(0);
    expect(fromFailed.stdout).toMatch(/is now AwaitingRetry \(retry: from-failed\)/);
    const states = await api.readFlowRunStates(failed);
    expect(states.at(-1)).toMatchObject({
      type: "SCHEDULED",
      message: "Retried from the CLI",
      details: { retryMode: "from-failed" },
    });

    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("the run is RUNNING");

    expect(all.code, all.stderr).toBe(0);
    const run = JSON.parse(all.stdout) as { stateType: string; state: { details: { retryMode: string } } };
    expect(run).toMatchObject({ stateType: "SCHEDULED", state: { details: { retryMode: "all" } } });
  }, 60_000);
});
