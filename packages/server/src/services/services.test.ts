import type { ClaimResponse, FlowRun, WorkQueue } from "@sluice/contracts";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server.js";
import { createTestClock } from "../testing/test-clock.js";
import { testHttp } from "../testing/test-http.js";
import { insertDeployment, insertQueuedRuns, type QueueRef } from "../work-pools/work-pool-fixtures.js";

const clock = createTestClock();
let server: TestServer;
let api: ReturnType<typeof testHttp>;
let flowId: string;
const suffix = randomUUID().slice(0, 8);

beforeAll(async () => {
  server = await startTestServer({ clock, ownDatabase: true });
  api = testHttp(server.url);
  flowId = ((await api.post("/api/flows", { name: `services-${suffix}` })).body as { id: string }).id;
});
afterAll(() => server?.close());

async function pool(label: string): Promise<QueueRef> {
  const name = `${label}-${suffix}`;
  expect((await api.post("/api/work-pools", { name })).status).toBe(201);
  const queue = (await api.get(`/api/work-pools/${name}/queues/default`)).body as WorkQueue;
  return { id: queue.id, name: queue.name, poolName: name };
}

const claim = async (poolName: string, workerName = "w1") =>
  (await api.post(`/api/work-pools/${poolName}/claim`, { workerName })).body as ClaimResponse;
const readRun = async (id: string) => (await api.get(`/api/flow-runs/${id}`)).body as FlowRun;
const setState = (id: string, state: Record<string, unknown>) =>
  api.post(`/api/flow-runs/${id}/set-state`, { state });
const dueNow = () => new Date(clock.now().getTime() - 1000);

describe("zombie runs", () => {
  it("crash a RUNNING run silent past the window, which is rescheduled while crash retries allow", async () => {
    const queue = await pool("zombie");
    const [run] = await insertQueuedRuns(server.db, {
      flowId,
      queue,
      count: 1,
      dueAt: dueNow(),
      crashRetries: 1,
    });
    await claim(queue.poolName);
    await setState(run!, { type: "RUNNING" });
    await api.post(`/api/flow-runs/${run}/heartbeat`);
    clock.advance(89_000);
    await server.runService("zombie-runs");
    expect((await readRun(run!)).stateType).toBe("RUNNING");

    clock.advance(2_000);
    await server.runService("zombie-runs");
    const retried = await readRun(run!);
    expect(retried).toMatchObject({ stateType: "SCHEDULED", stateName: "AwaitingRetry" });
    expect(retried.state?.message).toMatch(
      /^rescheduled after a crash \(retry 1 of 1\): no heartbeat for 91 s/,
    );
    // Due now: the next claim takes it again; the second silence is final.
    expect((await claim(queue.poolName)).runs.map((r) => r.flowRun.id)).toEqual([run]);
    await setState(run!, { type: "RUNNING" });
    clock.advance(91_000);
    await server.runService("zombie-runs");
    const crashed = await readRun(run!);
    expect(crashed).toMatchObject({ stateType: "CRASHED", runCount: 2 });
    expect(crashed.state?.message).toContain("the zombie window is 90 s");
  });
});

describe("cancellation cleanup", () => {
  it("cancels CANCELLING runs of an offline worker and reschedules its PENDING runs", async () => {
    const queue = await pool("cleanup");
    const runs = await insertQueuedRuns(server.db, { flowId, queue, count: 2, dueAt: dueNow() });
    await api.post(`/api/work-pools/${queue.poolName}/workers/heartbeat`, {
      name: "gone",
      heartbeatIntervalSeconds: 10,
    });
    expect((await claim(queue.poolName, "gone")).runs).toHaveLength(2);
    await setState(runs[0]!, { type: "RUNNING" });
    await setState(runs[0]!, { type: "CANCELLING" });
    await server.runService("cancellation-cleanup");
    expect((await readRun(runs[0]!)).stateType).toBe("CANCELLING");
    expect((await readRun(runs[1]!)).stateType).toBe("PENDING");

    clock.advance(31_000);
    await server.runService("cancellation-cleanup");
    const cancelled = await readRun(runs[0]!);
    expect(cancelled.stateType).toBe("CANCELLED");
    expect(cancelled.state?.message).toContain("worker gone is offline");
    const rescheduled = await readRun(runs[1]!);
    expect(rescheduled).toMatchObject({
      stateType: "SCHEDULED",
      nextScheduledStartTime: clock.now().toISOString(),
    });
    expect(rescheduled.state?.message).toContain("went offline");
  });

  it("cancels a silent CANCELLING run that has no worker and no infrastructure", async () => {
    const created = await api.post("/api/flow-runs", {
      flowName: `services-${suffix}`,
      state: { type: "RUNNING" },
    });
    const id = (created.body as FlowRun).id;
    await setState(id, { type: "CANCELLING" });
    await server.runService("cancellation-cleanup");
    expect((await readRun(id)).stateType).toBe("CANCELLING");
    clock.advance(31_000);
    await server.runService("cancellation-cleanup");
    expect((await readRun(id)).stateType).toBe("CANCELLED");
  });
});

describe("concurrency leases", () => {
  it("are renewed by heartbeats and expire when not renewed, freeing the slot", async () => {
    const queue = await pool("leases");
    const deploymentId = await insertDeployment(server.db, {
      flowId,
      name: `lease-${suffix}`,
      concurrencyLimit: 1,
    });
    const runs = await insertQueuedRuns(server.db, {
      flowId,
      queue,
      count: 2,
      dueAt: dueNow(),
      deploymentId,
    });
    expect((await claim(queue.poolName)).runs.map((r) => r.flowRun.id)).toEqual([runs[0]]);
    await setState(runs[0]!, { type: "RUNNING" });
    clock.advance(50_000);
    await api.post(`/api/flow-runs/${runs[0]}/heartbeat`);
    clock.advance(50_000);
    await server.runService("lease-expiry");
    expect((await claim(queue.poolName)).runs).toEqual([]);
    clock.advance(11_000);
    await server.runService("lease-expiry");
    const lease = await server.db.db
      .selectFrom("concurrency_leases")
      .select("flow_run_id")
      .where("deployment_id", "=", deploymentId)
      .execute();
    expect(lease).toEqual([]);
    expect((await claim(queue.poolName)).runs.map((r) => r.flowRun.id)).toEqual([runs[1]]);
  });
});

describe("updating a flow run", () => {
  it("records the infrastructure id and merges the policy, keeping crashRetries", async () => {
    const queue = await pool("update");
    const [run] = await insertQueuedRuns(server.db, {
      flowId,
      queue,
      count: 1,
      dueAt: dueNow(),
      crashRetries: 2,
    });
    const res = await api.patch(`/api/flow-runs/${run}`, {
      infrastructureId: "pid:42",
      policy: { retries: 3 },
    });
    expect(res.body).toMatchObject({
      infrastructureId: "pid:42",
      policy: { retries: 3, retryDelaySeconds: 0, crashRetries: 2 },
    });
    expect((await api.patch(`/api/flow-runs/${randomUUID()}`, { infrastructureId: "x" })).status).toBe(404);
    expect((await api.patch(`/api/flow-runs/${run}`, { policy: { retries: -1 } })).status).toBe(400);
  });
});

describe("closing the server", () => {
  it("ends held long-polls at once with an empty answer", async () => {
    const other = await startTestServer();
    const name = `closing-${suffix}`;
    await testHttp(other.url).post("/api/work-pools", { name });
    const held = testHttp(other.url).post(`/api/work-pools/${name}/claim`, {
      workerName: "w",
      waitMs: 60_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await other.close();
    expect(await held).toMatchObject({ status: 200, body: { runs: [], cancel: [] } });
  });
});
