import type { ClaimResponse, ConcurrencyLimitUsage, ConcurrencyOverview, FlowRun } from "@sluice/contracts";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server.js";
import { createTestClock } from "../testing/test-clock.js";
import { testHttp } from "../testing/test-http.js";

const clock = createTestClock();
let server: TestServer;
let api: ReturnType<typeof testHttp>;
// Names unique per run: on PostgreSQL the test database is shared and kept between runs.
const suffix = randomUUID().slice(0, 8);

beforeAll(async () => {
  server = await startTestServer({ clock });
  api = testHttp(server.url);
});
afterAll(() => server?.close());

async function overview(query = ""): Promise<ConcurrencyOverview> {
  const res = await api.get(`/api/concurrency${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as ConcurrencyOverview;
}

function limitOf(o: ConcurrencyOverview, kind: ConcurrencyLimitUsage["kind"], name: string) {
  const found = o.limits.find((l) => l.kind === kind && l.name === name);
  if (!found) throw new Error(`no ${kind} limit ${name} in ${JSON.stringify(o.limits.map((l) => l.name))}`);
  return found;
}

async function claim(pool: string): Promise<ClaimResponse> {
  const res = await api.post(`/api/work-pools/${pool}/claim`, { workerName: "w1", limit: 10 });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as ClaimResponse;
}

const runIds = (runs: readonly { flowRunId: string }[]) => runs.map((r) => r.flowRunId);

describe("the concurrency overview", () => {
  it("shows a deployment's holder and waiters, and its pool's and queues' slots", async () => {
    const pool = `conc-${suffix}`;
    expect((await api.post("/api/work-pools", { name: pool, concurrencyLimit: 2 })).status).toBe(201);
    const narrow = { name: "narrow", priority: 1, concurrencyLimit: 1 };
    expect((await api.post(`/api/work-pools/${pool}/queues`, narrow)).status).toBe(201);
    const flowName = `conc-flow-${suffix}`;
    const deployment = await api.post("/api/deployments", {
      flowName,
      name: "limited",
      entrypoint: "flows/x.ts:x",
      workPoolName: pool,
      concurrencyLimit: 1,
    });
    expect(deployment.status, JSON.stringify(deployment.body)).toBe(200);
    const runs: FlowRun[] = [];
    for (let i = 0; i < 3; i += 1) {
      clock.advance(1000);
      const res = await api.post(`/api/deployments/${deployment.body.id}/runs`, { name: `run-${i}` });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      runs.push(res.body as FlowRun);
    }
    const [first, second, third] = runs.map((r) => r.id);

    // Before any claim: nothing held, the three due runs wait in the pool.
    clock.advance(1000);
    let o = await overview(`?workPool=${pool}`);
    expect(limitOf(o, "deployment", `${flowName}/limited`)).toMatchObject({
      limit: 1,
      collisionStrategy: "ENQUEUE",
      workPoolName: pool,
      inUse: 0,
      waiting: 0,
    });
    expect(limitOf(o, "work-pool", pool)).toMatchObject({ limit: 2, inUse: 0, waiting: 3 });
    expect(runIds(limitOf(o, "work-pool", pool).waiters)).toEqual([first, second, third]);
    // Queues appear only with a limit: `narrow`, not `default`.
    expect(o.limits.filter((l) => l.kind === "work-queue").map((l) => l.name)).toEqual(["narrow"]);
    expect(o.limits.every((l) => l.workPoolName === pool)).toBe(true);

    // The claim takes one slot of the deployment. It looks at as many runs as the pool has free
    // slots (2), so the second run is marked waiting for the deployment and the third not yet.
    clock.advance(1000);
    const claimedAt = clock.now().toISOString();
    expect((await claim(pool)).runs.map((r) => r.flowRun.id)).toEqual([first]);
    o = await overview(`?workPool=${pool}`);
    const limited = limitOf(o, "deployment", `${flowName}/limited`);
    expect(limited).toMatchObject({ inUse: 1, waiting: 1 });
    expect(limited.holders).toEqual([
      expect.objectContaining({
        flowRunId: first,
        flowRunName: "run-0",
        flowName,
        stateType: "PENDING",
        since: claimedAt,
      }),
    ]);
    expect(runIds(limited.waiters)).toEqual([second]);
    expect(limited.waiters[0]).toMatchObject({ stateName: "AwaitingConcurrencySlot", since: claimedAt });
    expect(limitOf(o, "work-pool", pool)).toMatchObject({ inUse: 1, waiting: 2 });
    expect(runIds(limitOf(o, "work-pool", pool).holders)).toEqual([first]);
    expect(runIds(limitOf(o, "work-pool", pool).waiters)).toEqual([second, third]);
    expect(limitOf(o, "work-queue", "narrow")).toMatchObject({ limit: 1, inUse: 0, waiting: 0 });

    // Running keeps the slot (its lease); ending frees it, and the next claim hands it on.
    clock.advance(1000);
    expect((await api.post(`/api/flow-runs/${first}/set-state`, { state: { type: "RUNNING" } })).status).toBe(
      200,
    );
    expect(limitOf(await overview(`?workPool=${pool}`), "deployment", `${flowName}/limited`)).toMatchObject({
      inUse: 1,
    });
    await api.post(`/api/flow-runs/${first}/set-state`, { state: { type: "COMPLETED" } });
    o = await overview(`?workPool=${pool}`);
    expect(limitOf(o, "deployment", `${flowName}/limited`)).toMatchObject({ inUse: 0, holders: [] });
    expect(limitOf(o, "work-pool", pool)).toMatchObject({ inUse: 0 });
    expect((await claim(pool)).runs.map((r) => r.flowRun.id)).toEqual([second]);
    const after = limitOf(await overview(`?workPool=${pool}`), "deployment", `${flowName}/limited`);
    expect(runIds(after.holders)).toEqual([second]);
    expect(runIds(after.waiters)).toEqual([third]);
  });

  it("lists every pool, with or without a limit, and refuses an unknown pool by name", async () => {
    const pool = `conc-free-${suffix}`;
    expect((await api.post("/api/work-pools", { name: pool, paused: true })).status).toBe(201);
    // Unscoped, every kind is listed (up to 500 each: a shared test database may hold more).
    const all = await overview();
    expect(new Set(all.limits.map((l) => l.kind))).toContain("work-pool");
    if (!all.truncated) expect(all.limits.map((l) => l.name)).toContain(pool);
    expect(limitOf(await overview(`?workPool=${pool}`), "work-pool", pool)).toMatchObject({
      limit: null,
      paused: true,
      inUse: 0,
      waiting: 0,
      holders: [],
      waiters: [],
    });
    const missing = await api.get(`/api/concurrency?workPool=none-${suffix}`);
    expect(missing).toMatchObject({ status: 404, body: { code: "work_pool_not_found" } });
    const bad = await api.get("/api/concurrency?workPool=a/b");
    expect(bad.status).toBe(400);
  });
});
