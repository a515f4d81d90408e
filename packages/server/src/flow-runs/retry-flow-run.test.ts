import type { ClaimResponse, FlowRun, State } from "@sluice/contracts";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server.js";
import { testHttp } from "../testing/test-http.js";

// The system clock: a long-poll claim must be woken by the retry's event, not by a test clock.
let server: TestServer;
let api: ReturnType<typeof testHttp>;
const suffix = randomUUID().slice(0, 8);
const pool = `retry-${suffix}`;
let deploymentId: string;

beforeAll(async () => {
  server = await startTestServer();
  api = testHttp(server.url);
  expect((await api.post("/api/work-pools", { name: pool, type: "process" })).status).toBe(201);
  const deployment = await api.post("/api/deployments", {
    flowName: `retry-flow-${suffix}`,
    name: "retried",
    entrypoint: "flows/etl.ts:etl",
    workPoolName: pool,
    crashRetries: 1,
  });
  expect(deployment.status, JSON.stringify(deployment.body)).toBe(200);
  deploymentId = (deployment.body as { id: string }).id;
});
afterAll(() => server?.close());

const readRun = async (id: string) => (await api.get(`/api/flow-runs/${id}`)).body as FlowRun;
const setState = (id: string, state: Record<string, unknown>) =>
  api.post(`/api/flow-runs/${id}/set-state`, { state });
const retry = (id: string, body: Record<string, unknown>) => api.post(`/api/flow-runs/${id}/retry`, body);

async function claim(waitMs = 0): Promise<ClaimResponse> {
  const res = await api.post(`/api/work-pools/${pool}/claim`, { workerName: "w1", waitMs, limit: 1 });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as ClaimResponse;
}

/** A deployment run claimed by a worker and started, as a worker and the engine would. */
async function runningRun(): Promise<string> {
  const created = await api.post(`/api/deployments/${deploymentId}/runs`, {});
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = (created.body as FlowRun).id;
  expect((await claim()).runs.map((r) => r.flowRun.id)).toEqual([id]);
  await api.patch(`/api/flow-runs/${id}`, { infrastructureId: "pid-1", policy: { retries: 1 } });
  expect((await setState(id, { type: "RUNNING" })).body.status).toBe("ACCEPT");
  return id;
}

describe("POST /api/flow-runs/{id}/retry", () => {
  it("schedules a failed run again now, wakes a waiting worker, and restarts the automatic retries", async () => {
    const id = await runningRun();
    // The flow's own retry: the first failure is retried automatically, the second is final.
    expect((await setState(id, { type: "FAILED" })).body.state.name).toBe("AwaitingRetry");
    expect((await setState(id, { type: "RUNNING", name: "Retrying" })).body.status).toBe("ACCEPT");
    expect((await setState(id, { type: "FAILED", message: "c failed" })).body.state.type).toBe("FAILED");
    const failed = await readRun(id);
    expect(failed).toMatchObject({ runCount: 2, stateType: "FAILED", infrastructureId: "pid-1" });

    // A worker long-polling the pool is woken by the retry's state event.
    const waiting = claim(20_000);
    const res = await retry(id, { mode: "from-failed", message: "Retried from the UI" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await waiting).runs.map((r) => r.flowRun.id)).toEqual([id]);
    const states = (await api.get(`/api/flow-runs/${id}/states`)).body as State[];
    expect(states.filter((s) => s.details.retryMode !== undefined)).toEqual([
      expect.objectContaining({
        type: "SCHEDULED",
        name: "AwaitingRetry",
        message: "Retried from the UI",
        details: { scheduledTime: expect.any(String) as string, retryMode: "from-failed" },
      }),
    ]);
    // The last attempt's infrastructure and end time are gone; the run count stays (2) and the
    // automatic retries now count from it.
    expect(await readRun(id)).toMatchObject({
      stateType: "PENDING",
      runCount: 2,
      endTime: null,
      infrastructureId: null,
      policy: { retries: 1, retryBaseRunCount: 2 },
    });

    // The new attempt counts on (run count 3), and gets its automatic retry again.
    expect((await setState(id, { type: "RUNNING" })).body.status).toBe("ACCEPT");
    expect((await readRun(id)).runCount).toBe(3);
    const again = await setState(id, { type: "FAILED" });
    expect(again.body.state).toMatchObject({ name: "AwaitingRetry", details: { retryAttempt: 1 } });
    expect((await claim()).runs.map((r) => r.flowRun.id)).toEqual([id]);
  });

  it("re-runs a COMPLETED run only with mode all, and clears its old result", async () => {
    const id = await runningRun();
    const result = { storage: "local", key: "results/x.json", serializer: "json" };
    expect((await setState(id, { type: "COMPLETED", result })).body.status).toBe("ACCEPT");
    expect((await readRun(id)).result).toEqual(result);
    const refused = await retry(id, { mode: "from-failed" });
    expect(refused).toMatchObject({ status: 409, body: { code: "invalid_state_transition" } });
    expect(refused.body.message).toContain("the run is COMPLETED");
    const res = await retry(id, {});
    expect(res.body).toMatchObject({
      stateType: "SCHEDULED",
      stateName: "AwaitingRetry",
      result: null,
      workerId: null,
      state: { message: "Retried through the API", details: { retryMode: "all" } },
    });
    const retried = res.body as FlowRun;
    expect(retried.nextScheduledStartTime).toBe(retried.state?.details.scheduledTime);
    expect((await claim()).runs.map((r) => r.flowRun.id)).toEqual([id]);
  });

  it("refuses a run that is not finished, naming its state, and never schedules it twice", async () => {
    const id = await runningRun();
    const running = await retry(id, { mode: "all" });
    expect(running).toMatchObject({
      status: 409,
      body: { code: "invalid_state_transition", details: { currentState: { type: "RUNNING" } } },
    });
    expect(running.body.message).toMatch(
      /cannot retry \(all\): the run is RUNNING; only a FAILED, CRASHED, CANCELLED or COMPLETED run/,
    );
    expect((await setState(id, { type: "CANCELLING" })).body.state.type).toBe("CANCELLING");
    expect((await setState(id, { type: "CANCELLED" })).body.state.type).toBe("CANCELLED");
    const [first, second] = await Promise.all([retry(id, { mode: "all" }), retry(id, { mode: "all" })]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const loser = first.status === 409 ? first : second;
    expect(loser.body.message).toContain("the run is SCHEDULED (AwaitingRetry)");
    expect((await claim()).runs.map((r) => r.flowRun.id)).toEqual([id]);
  });

  it("retries a CRASHED run; refuses runs made without a deployment, unknown runs and bad modes", async () => {
    const id = await runningRun();
    await setState(id, { type: "CRASHED", message: "killed" }); // crashRetries 1: AwaitingRetry
    expect((await setState(id, { type: "RUNNING" })).body.status).toBe("ACCEPT");
    expect((await setState(id, { type: "CRASHED", message: "killed" })).body.state.type).toBe("CRASHED");
    expect((await retry(id, { mode: "from-failed" })).body).toMatchObject({ stateType: "SCHEDULED" });
    expect((await claim()).runs.map((r) => r.flowRun.id)).toEqual([id]);

    const direct = await api.post("/api/flow-runs", {
      flowName: `direct-${suffix}`,
      state: { type: "RUNNING" },
    });
    const directId = (direct.body as FlowRun).id;
    await setState(directId, { type: "FAILED" });
    const refused = await retry(directId, { mode: "all" });
    expect(refused).toMatchObject({ status: 409, body: { code: "flow_run_not_retryable" } });
    expect(refused.body.message).toContain("not made by a deployment");

    const missing = randomUUID();
    expect(await retry(missing, {})).toMatchObject({ status: 404, body: { code: "flow_run_not_found" } });
    const bad = await retry(id, { mode: "some" });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain("mode");
  });
});
