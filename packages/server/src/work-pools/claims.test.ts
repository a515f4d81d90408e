import type { ClaimResponse, FlowRun, WorkPool, WorkQueue } from "@sluice/contracts";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server.js";
import { createTestClock } from "../testing/test-clock.js";
import { testHttp } from "../testing/test-http.js";
import { insertDeployment, insertQueuedRuns, type QueueRef } from "./work-pool-fixtures.js";

const clock = createTestClock();
let server: TestServer;
let api: ReturnType<typeof testHttp>;
let flowId: string;
const suffix = randomUUID().slice(0, 8);

beforeAll(async () => {
  server = await startTestServer({ clock });
  api = testHttp(server.url);
  flowId = ((await api.post("/api/flows", { name: `claims-${suffix}` })).body as { id: string }).id;
});
afterAll(() => server?.close());

/** A new pool; returns its queues by name. */
async function pool(
  label: string,
  body: Record<string, unknown> = {},
  extraQueues: Record<string, unknown>[] = [],
) {
  const name = `${label}-${suffix}`;
  expect((await api.post("/api/work-pools", { name, ...body })).status).toBe(201);
  for (const queue of extraQueues) {
    expect((await api.post(`/api/work-pools/${name}/queues`, queue)).status).toBe(201);
  }
  const queues = (await api.get(`/api/work-pools/${name}/queues`)).body.items as WorkQueue[];
  const refs: Record<string, QueueRef> = {};
  for (const q of queues) refs[q.name] = { id: q.id, name: q.name, poolName: name };
  return { name, queues: refs };
}

const dueNow = () => new Date(clock.now().getTime() - 1000);

async function claim(poolName: string, body: Record<string, unknown> = {}): Promise<ClaimResponse> {
  const res = await api.post(`/api/work-pools/${poolName}/claim`, { workerName: "w1", ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as ClaimResponse;
}

const ids = (response: ClaimResponse) => response.runs.map((r) => r.flowRun.id);
const readRun = async (id: string) => (await api.get(`/api/flow-runs/${id}`)).body as FlowRun;
const setState = (id: string, state: Record<string, unknown>) =>
  api.post(`/api/flow-runs/${id}/set-state`, { state });

describe("the claim", () => {
  it("moves due runs to PENDING for the worker, in due order, and never hands one out twice", async () => {
    const p = await pool("basic");
    const queue = p.queues.default!;
    const due = await insertQueuedRuns(server.db, { flowId, queue, count: 3, dueAt: dueNow() });
    const [later] = await insertQueuedRuns(server.db, {
      flowId,
      queue,
      count: 1,
      dueAt: new Date(clock.now().getTime() + 60_000),
    });
    const first = await claim(p.name, { limit: 2 });
    expect(ids(first)).toEqual(due.slice(0, 2));
    const run = first.runs[0]!.flowRun;
    expect(run).toMatchObject({ stateType: "PENDING", stateName: "Pending", nextScheduledStartTime: null });
    expect(run.workerId).not.toBeNull();
    expect(run.state?.details.scheduledTime).toBeDefined();
    const second = await claim(p.name, { limit: 5 });
    expect(ids(second)).toEqual([due[2]]);
    expect(ids(await claim(p.name))).toEqual([]);
    // Prefetch: a run due within prefetchSeconds is claimed early.
    expect(ids(await claim(p.name, { prefetchSeconds: 61 }))).toEqual([later]);
    const states = (await api.get(`/api/flow-runs/${due[0]}/states`)).body as { type: string }[];
    expect(states.map((s) => s.type)).toEqual(["SCHEDULED", "PENDING"]);
  });

  it("serves queues by priority, skips paused queues and pools, and only the queues asked for", async () => {
    const p = await pool("priority", {}, [{ name: "urgent", priority: 1 }, { name: "slow" }]);
    const urgent = await insertQueuedRuns(server.db, {
      flowId,
      queue: p.queues.urgent!,
      count: 2,
      dueAt: new Date(clock.now().getTime() - 500),
    });
    const plain = await insertQueuedRuns(server.db, {
      flowId,
      queue: p.queues.default!,
      count: 2,
      dueAt: dueNow(),
    });
    const slow = await insertQueuedRuns(server.db, {
      flowId,
      queue: p.queues.slow!,
      count: 1,
      dueAt: dueNow(),
    });
    await api.patch(`/api/work-pools/${p.name}/queues/slow`, { paused: true });
    await api.patch(`/api/work-pools/${p.name}/queues/default`, { priority: 3 });
    expect(ids(await claim(p.name, { queues: ["default"], limit: 1 }))).toEqual([plain[0]]);
    expect(ids(await claim(p.name, { limit: 3 }))).toEqual([...urgent, plain[1]]);
    await api.patch(`/api/work-pools/${p.name}`, { paused: true });
    await api.patch(`/api/work-pools/${p.name}/queues/slow`, { paused: false });
    expect(ids(await claim(p.name))).toEqual([]);
    await api.patch(`/api/work-pools/${p.name}`, { paused: false });
    expect(ids(await claim(p.name))).toEqual(slow);
  });

  it("honours queue priority over due time", async () => {
    const p = await pool("order", {}, [
      { name: "second", priority: 5 },
      { name: "first", priority: 2 },
    ]);
    await api.patch(`/api/work-pools/${p.name}/queues/default`, { priority: 9 });
    const older = await insertQueuedRuns(server.db, {
      flowId,
      queue: p.queues.second!,
      count: 1,
      dueAt: new Date(clock.now().getTime() - 60_000),
    });
    const newer = await insertQueuedRuns(server.db, {
      flowId,
      queue: p.queues.first!,
      count: 1,
      dueAt: dueNow(),
    });
    const last = await insertQueuedRuns(server.db, {
      flowId,
      queue: p.queues.default!,
      count: 1,
      dueAt: new Date(clock.now().getTime() - 120_000),
    });
    expect(ids(await claim(p.name, { limit: 1 }))).toEqual(newer);
    expect(ids(await claim(p.name, { limit: 5 }))).toEqual([...older, ...last]);
  });

  it("honours the pool's and each queue's concurrency limit", async () => {
    const p = await pool("limits", { concurrencyLimit: 3 }, [
      { name: "narrow", priority: 1, concurrencyLimit: 1 },
    ]);
    await api.patch(`/api/work-pools/${p.name}/queues/default`, { priority: 2 });
    const narrow = await insertQueuedRuns(server.db, {
      flowId,
      queue: p.queues.narrow!,
      count: 3,
      dueAt: dueNow(),
    });
    const wide = await insertQueuedRuns(server.db, {
      flowId,
      queue: p.queues.default!,
      count: 5,
      dueAt: dueNow(),
    });
    const first = await claim(p.name, { limit: 10 });
    expect(first.runs).toHaveLength(3);
    expect(ids(first).filter((id) => narrow.includes(id))).toHaveLength(1);
    expect(ids(await claim(p.name, { limit: 10 }))).toEqual([]);
    // A run that ends frees a pool slot; a RUNNING one still holds it.
    const [a, b] = ids(first).filter((id) => wide.includes(id));
    expect((await setState(a!, { type: "RUNNING" })).status).toBe(200);
    expect(ids(await claim(p.name))).toEqual([]);
    expect((await setState(b!, { type: "RUNNING" })).status).toBe(200);
    expect((await setState(b!, { type: "COMPLETED" })).status).toBe(200);
    const next = await claim(p.name, { limit: 10 });
    expect(next.runs).toHaveLength(1);
    expect(wide).toContain(ids(next)[0]);
  });

  it("honours a deployment's limit: ENQUEUE keeps runs waiting, named AwaitingConcurrencySlot", async () => {
    const p = await pool("enqueue");
    const deploymentId = await insertDeployment(server.db, {
      flowId,
      name: `enq-${suffix}`,
      concurrencyLimit: 1,
    });
    const runs = await insertQueuedRuns(server.db, {
      flowId,
      queue: p.queues.default!,
      count: 3,
      dueAt: dueNow(),
      deploymentId,
    });
    const first = await claim(p.name, { limit: 10 });
    expect(ids(first)).toEqual([runs[0]]);
    expect(first.runs[0]).toMatchObject({
      deploymentName: `enq-${suffix}`,
      entrypoint: "flows/example.ts:example",
    });
    const waiting = await readRun(runs[1]!);
    expect(waiting).toMatchObject({ stateType: "SCHEDULED", stateName: "AwaitingConcurrencySlot" });
    expect(waiting.state?.message).toContain("concurrency limit");
    expect(waiting.nextScheduledStartTime).not.toBeNull();
    expect(ids(await claim(p.name))).toEqual([]);
    const lease = await server.db.db
      .selectFrom("concurrency_leases")
      .selectAll()
      .where("flow_run_id", "=", runs[0]!)
      .executeTakeFirst();
    expect(lease?.deployment_id).toBe(deploymentId);
    // RUNNING keeps the slot (through the lease); the end of the run releases it.
    await setState(runs[0]!, { type: "RUNNING" });
    expect(ids(await claim(p.name))).toEqual([]);
    await setState(runs[0]!, { type: "COMPLETED" });
    expect(ids(await claim(p.name, { limit: 10 }))).toEqual([runs[1]]);
  });

  it("honours a deployment's limit: CANCEL_NEW cancels due runs that find no slot", async () => {
    const p = await pool("cancel-new");
    const deploymentId = await insertDeployment(server.db, {
      flowId,
      name: `cnew-${suffix}`,
      concurrencyLimit: 1,
      collisionStrategy: "CANCEL_NEW",
    });
    const runs = await insertQueuedRuns(server.db, {
      flowId,
      queue: p.queues.default!,
      count: 2,
      dueAt: dueNow(),
      deploymentId,
    });
    expect(ids(await claim(p.name))).toEqual([runs[0]]);
    const cancelled = await readRun(runs[1]!);
    expect(cancelled).toMatchObject({ stateType: "CANCELLED" });
    expect(cancelled.state?.message).toContain("CANCEL_NEW");
    expect(cancelled.endTime).not.toBeNull();
  });

  it("leaves runs of a paused deployment alone", async () => {
    const p = await pool("paused-deployment");
    const deploymentId = await insertDeployment(server.db, {
      flowId,
      name: `paused-${suffix}`,
      paused: true,
    });
    await insertQueuedRuns(server.db, {
      flowId,
      queue: p.queues.default!,
      count: 2,
      dueAt: dueNow(),
      deploymentId,
    });
    expect(ids(await claim(p.name))).toEqual([]);
    await server.db.db
      .updateTable("deployments")
      .set({ paused: false })
      .where("id", "=", deploymentId)
      .execute();
    expect(await claim(p.name)).toMatchObject({ runs: [{}, {}] });
  });

  it("lists the worker's running runs that are CANCELLING", async () => {
    const p = await pool("cancel-list");
    const runs = await insertQueuedRuns(server.db, {
      flowId,
      queue: p.queues.default!,
      count: 2,
      dueAt: dueNow(),
    });
    await claim(p.name);
    for (const id of runs) await setState(id, { type: "RUNNING" });
    await setState(runs[1]!, { type: "CANCELLING" });
    const answer = await claim(p.name, { runningFlowRunIds: [...runs, randomUUID()] });
    expect(answer.cancel).toEqual([runs[1]]);
  });

  it("claims each of 200 runs exactly once across 4 concurrent workers", async () => {
    const p = await pool("race");
    const runs = await insertQueuedRuns(server.db, {
      flowId,
      queue: p.queues.default!,
      count: 200,
      dueAt: dueNow(),
    });
    const seen: string[] = [];
    await Promise.all(
      [1, 2, 3, 4].map(async (n) => {
        for (;;) {
          const answer = await claim(p.name, { workerName: `racer-${n}`, limit: 7 });
          if (answer.runs.length === 0) return;
          seen.push(...ids(answer));
        }
      }),
    );
    expect(seen).toHaveLength(200);
    expect(new Set(seen).size).toBe(200);
    expect(new Set(seen)).toEqual(new Set(runs));
  });
});

describe("the long-poll", () => {
  it("answers as soon as a run of the pool becomes due during the wait", async () => {
    const p = await pool("long-poll");
    const [run] = await insertQueuedRuns(server.db, {
      flowId,
      queue: p.queues.default!,
      count: 1,
      dueAt: new Date(clock.now().getTime() + 3_600_000),
    });
    const held = claim(p.name, { waitMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const moved = await setState(run!, {
      type: "SCHEDULED",
      details: { scheduledTime: clock.now().toISOString() },
    });
    expect(moved.status).toBe(200);
    expect(ids(await held)).toEqual([run]);
  });

  it("answers empty when nothing comes within waitMs", async () => {
    const p = await pool("long-poll-empty");
    const answer = await claim(p.name, { waitMs: 300 });
    expect(answer).toMatchObject({ runs: [], cancel: [] });
  });

  it("answers when a run of the worker is to be cancelled", async () => {
    const p = await pool("long-poll-cancel");
    const [run] = await insertQueuedRuns(server.db, {
      flowId,
      queue: p.queues.default!,
      count: 1,
      dueAt: dueNow(),
    });
    await claim(p.name);
    await setState(run!, { type: "RUNNING" });
    const held = claim(p.name, { waitMs: 20_000, runningFlowRunIds: [run] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await setState(run!, { type: "CANCELLING" });
    expect((await held).cancel).toEqual([run]);
  });

  it("wakes a claim waiting for a deployment slot when the run holding it ends", async () => {
    const p = await pool("long-poll-slot");
    const deploymentId = await insertDeployment(server.db, {
      flowId,
      name: `slot-${suffix}`,
      concurrencyLimit: 1,
    });
    const runs = await insertQueuedRuns(server.db, {
      flowId,
      queue: p.queues.default!,
      count: 2,
      dueAt: dueNow(),
      deploymentId,
    });
    expect(ids(await claim(p.name))).toEqual([runs[0]]);
    await setState(runs[0]!, { type: "RUNNING" });
    const held = claim(p.name, { waitMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await setState(runs[0]!, { type: "FAILED" });
    expect(ids(await held)).toEqual([runs[1]]);
  });

  it("answers when the pool is resumed", async () => {
    const p = await pool("long-poll-resume", { paused: true });
    const runs = await insertQueuedRuns(server.db, {
      flowId,
      queue: p.queues.default!,
      count: 1,
      dueAt: dueNow(),
    });
    const held = claim(p.name, { waitMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const resumed = await api.patch(`/api/work-pools/${p.name}`, { paused: false });
    expect((resumed.body as WorkPool).paused).toBe(false);
    const answer = await held;
    expect(ids(answer)).toEqual(runs);
    expect(answer.workPool.paused).toBe(false);
  });
});
