import { defaultBaseJobTemplate, type ClaimResponse, type WorkPool, type WorkQueue } from "@sluice/contracts";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server.js";
import { createTestClock } from "../testing/test-clock.js";
import { items, testHttp } from "../testing/test-http.js";

const clock = createTestClock();
let server: TestServer;
let api: ReturnType<typeof testHttp>;
const suffix = randomUUID().slice(0, 8);
const poolName = (label: string) => `${label}-${suffix}`;

beforeAll(async () => {
  server = await startTestServer({ clock });
  api = testHttp(server.url);
});
afterAll(() => server?.close());

async function createPool(name: string, body: Record<string, unknown> = {}): Promise<WorkPool> {
  const res = await api.post("/api/work-pools", { name, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as WorkPool;
}

describe("work pools", () => {
  it("are created with a default queue and the type's default template", async () => {
    const pool = await createPool(poolName("crud"), { type: "docker", concurrencyLimit: 3 });
    expect(pool).toMatchObject({
      type: "docker",
      concurrencyLimit: 3,
      paused: false,
      status: "NOT_READY",
      onlineWorkers: 0,
      defaultQueueName: "default",
      baseJobTemplate: defaultBaseJobTemplate("docker"),
    });
    const queues = await api.get(`/api/work-pools/${pool.name}/queues`);
    expect(items<WorkQueue>(queues)).toMatchObject([{ name: "default", priority: 1, status: "NOT_READY" }]);
    const again = await api.post("/api/work-pools", { name: pool.name });
    expect(again).toMatchObject({ status: 409, body: { code: "conflict" } });
  });

  it("are read, paused, resumed, listed and deleted", async () => {
    const name = poolName("life");
    await createPool(name);
    expect((await api.get(`/api/work-pools/${name}`)).body).toMatchObject({ name, type: "process" });
    const paused = await api.patch(`/api/work-pools/${name}`, { paused: true, description: "held" });
    expect(paused.body).toMatchObject({ paused: true, status: "PAUSED", description: "held" });
    const queue = await api.get(`/api/work-pools/${name}/queues/default`);
    expect(queue.body).toMatchObject({ status: "PAUSED", paused: false });
    await api.patch(`/api/work-pools/${name}`, { paused: false });
    const listed = await api.post("/api/work-pools/filter", { names: [name, poolName("crud")] });
    expect(items<WorkPool>(listed).map((p) => p.name)).toEqual([poolName("crud"), name]);
    const byType = await api.post("/api/work-pools/filter", {
      names: [name, poolName("crud")],
      types: ["docker"],
    });
    expect(items<WorkPool>(byType).map((p) => p.name)).toEqual([poolName("crud")]);
    expect((await api.delete(`/api/work-pools/${name}`)).status).toBe(200);
    const gone = await api.get(`/api/work-pools/${name}`);
    expect(gone).toMatchObject({ status: 404, body: { code: "work_pool_not_found" } });
    expect((await api.delete(`/api/work-pools/${name}`)).status).toBe(404);
  });

  it("serve the default base job template of each type", async () => {
    const res = await api.get("/api/work-pool-types/kubernetes/base-job-template");
    expect(res.body).toEqual(defaultBaseJobTemplate("kubernetes"));
    expect((await api.get("/api/work-pool-types/lambda/base-job-template")).status).toBe(400);
  });
});

describe("work queues", () => {
  it("get the next priority by default, are ordered by it, and the default queue stays", async () => {
    const name = poolName("queues");
    await createPool(name);
    const low = await api.post(`/api/work-pools/${name}/queues`, { name: "low" });
    expect(low).toMatchObject({ status: 201, body: { name: "low", priority: 2, workPoolName: name } });
    const high = await api.post(`/api/work-pools/${name}/queues`, { name: "urgent", priority: 1 });
    expect(high.body).toMatchObject({ priority: 1 });
    const duplicate = await api.post(`/api/work-pools/${name}/queues`, { name: "low" });
    expect(duplicate.status).toBe(409);
    const changed = await api.patch(`/api/work-pools/${name}/queues/low`, {
      concurrencyLimit: 2,
      paused: true,
    });
    expect(changed.body).toMatchObject({ concurrencyLimit: 2, paused: true, status: "PAUSED" });
    const listed = items<WorkQueue>(await api.get(`/api/work-pools/${name}/queues`));
    expect(listed.map((q) => q.name)).toEqual(["default", "urgent", "low"]);
    const refused = await api.delete(`/api/work-pools/${name}/queues/default`);
    expect(refused).toMatchObject({ status: 409, body: { code: "conflict" } });
    expect((await api.delete(`/api/work-pools/${name}/queues/low`)).status).toBe(200);
    const missing = await api.get(`/api/work-pools/${name}/queues/low`);
    expect(missing).toMatchObject({ status: 404, body: { code: "work_queue_not_found" } });
  });
});

describe("workers and statuses", () => {
  it("a worker is ONLINE for three intervals after its heartbeat; the pool follows; a queue is READY when polled", async () => {
    const name = poolName("status");
    await createPool(name);
    const beat = await api.post(`/api/work-pools/${name}/workers/heartbeat`, {
      name: "w1",
      heartbeatIntervalSeconds: 10,
      metadata: { host: "a" },
    });
    expect(beat.body).toMatchObject({
      name: "w1",
      status: "ONLINE",
      workPoolName: name,
      metadata: { host: "a" },
    });
    expect((await api.get(`/api/work-pools/${name}`)).body).toMatchObject({
      status: "READY",
      onlineWorkers: 1,
    });
    const claim = await api.post(`/api/work-pools/${name}/claim`, { workerName: "w1" });
    expect(claim.status).toBe(200);
    expect((await api.get(`/api/work-pools/${name}/queues/default`)).body.status).toBe("READY");

    clock.advance(29_000);
    expect(items(await api.get(`/api/work-pools/${name}/workers`))).toMatchObject([{ status: "ONLINE" }]);
    clock.advance(2_000);
    expect(items(await api.get(`/api/work-pools/${name}/workers`))).toMatchObject([
      { name: "w1", status: "OFFLINE", metadata: { host: "a" } },
    ]);
    expect((await api.get(`/api/work-pools/${name}`)).body).toMatchObject({
      status: "NOT_READY",
      onlineWorkers: 0,
    });
    clock.advance(30_000);
    expect((await api.get(`/api/work-pools/${name}/queues/default`)).body.status).toBe("NOT_READY");

    // A second beat of the same name updates the worker, keeping its metadata unless sent.
    await api.post(`/api/work-pools/${name}/workers/heartbeat`, { name: "w1", heartbeatIntervalSeconds: 30 });
    const workers = items(await api.get(`/api/work-pools/${name}/workers`));
    expect(workers).toMatchObject([{ name: "w1", status: "ONLINE", heartbeatIntervalSeconds: 30 }]);
    expect((await api.get(`/api/work-pools/nope-${suffix}/workers`)).status).toBe(404);
  });
});

describe("claim requests", () => {
  it("answer 404 for an unknown pool or queue and name bad fields", async () => {
    const missing = await api.post(`/api/work-pools/nope-${suffix}/claim`, { workerName: "w" });
    expect(missing.body.code).toBe("work_pool_not_found");
    const name = poolName("claim-input");
    await createPool(name);
    const queue = await api.post(`/api/work-pools/${name}/claim`, { workerName: "w", queues: ["nope"] });
    expect(queue).toMatchObject({ status: 404, body: { code: "work_queue_not_found" } });
    const bad = await api.post(`/api/work-pools/${name}/claim`, { workerName: "w", limit: 0 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("body.limit");
    const empty = (await api.post(`/api/work-pools/${name}/claim`, { workerName: "w" }))
      .body as ClaimResponse;
    expect(empty).toMatchObject({ runs: [], cancel: [], workPool: { name, status: "READY" } });
  });
});
