import { randomInt, randomUUID } from "node:crypto";
import type { FlowRun, FlowRunHistory, StateCount, Worker } from "@sluice/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server.js";
import { issuePaths, items, testHttp } from "../testing/test-http.js";

let server: TestServer;
let api: ReturnType<typeof testHttp>;
const flowName = `activity-${randomUUID().slice(0, 8)}`;
// A window of this run's own, far in the past: a shared test database holds other tests' runs.
const origin = Date.UTC(1990, 0, 1) + randomInt(0, 3650) * 86_400_000 + randomInt(0, 86_400) * 1000;
const at = (minutes: number) => new Date(origin + minutes * 60_000).toISOString();
const window = { since: at(0), until: at(60) };

async function createRun(minutes: number, final: "COMPLETED" | "FAILED" | null, tags: string[] = []) {
  const res = await api.post("/api/flow-runs", {
    flowName,
    tags,
    state: { type: "SCHEDULED", details: { scheduledTime: at(minutes) } },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const run = res.body as FlowRun;
  if (final) {
    await api.post(`/api/flow-runs/${run.id}/set-state`, { state: { type: "RUNNING" } });
    await api.post(`/api/flow-runs/${run.id}/set-state`, { state: { type: final } });
  }
  return run;
}

beforeAll(async () => {
  server = await startTestServer();
  api = testHttp(server.url);
  await createRun(1, "COMPLETED", ["prod"]);
  await createRun(2, "COMPLETED", ["prod", "etl"]);
  await createRun(31, "FAILED", ["dev"]);
  await createRun(59, null, ["etl"]);
  await createRun(60, "COMPLETED"); // at `until`: outside the window
  await createRun(-1, "FAILED"); // before `since`: outside the window
});
afterAll(() => server?.close());

const counts = (body: unknown) =>
  Object.fromEntries(
    (body as { items: StateCount[] }).items.map((c) => [`${c.stateType}/${c.stateName}`, c.count]),
  );

describe("counting flow runs by state", () => {
  it("counts the runs expected to start in [since, until) by state type and name", async () => {
    const res = await api.post("/api/flow-runs/count-by-state", window);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(counts(res.body)).toEqual({
      "COMPLETED/Completed": 2,
      "FAILED/Failed": 1,
      "SCHEDULED/Scheduled": 1,
    });
    expect((res.body as { items: StateCount[] }).items[0]).toEqual({
      stateType: "COMPLETED",
      stateName: "Completed",
      count: 2,
    });
  });

  it("narrows by flow name and tags", async () => {
    const mine = await api.post("/api/flow-runs/count-by-state", { ...window, flowNames: [flowName] });
    expect(counts(mine.body)).toEqual({
      "COMPLETED/Completed": 2,
      "FAILED/Failed": 1,
      "SCHEDULED/Scheduled": 1,
    });
    const etl = await api.post("/api/flow-runs/count-by-state", { ...window, tags: ["etl"] });
    expect(counts(etl.body)).toEqual({ "COMPLETED/Completed": 1, "SCHEDULED/Scheduled": 1 });
    const none = await api.post("/api/flow-runs/count-by-state", {
      ...window,
      flowNames: [`${flowName}-none`],
    });
    expect(none.body).toEqual({ items: [] });
  });

  it("refuses a window that ends before it starts or spans more than 31 days, naming the field", async () => {
    const backwards = await api.post("/api/flow-runs/count-by-state", { since: at(10), until: at(0) });
    expect(backwards.status).toBe(400);
    expect(issuePaths(backwards)).toContain("body.until");
    const long = await api.post("/api/flow-runs/count-by-state", { since: at(0), until: at(32 * 24 * 60) });
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.body)).toContain("more than 31 days");
    const missing = await api.post("/api/flow-runs/count-by-state", { since: at(0) });
    expect(issuePaths(missing)).toContain("body.until");
  });
});

describe("flow-run history", () => {
  it("cuts the window into equal buckets and places each run by its expected start time", async () => {
    const res = await api.post("/api/flow-runs/history", { ...window, buckets: 4 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const history = res.body as FlowRunHistory;
    expect(history.buckets.map((b) => [b.start, b.end])).toEqual([
      [at(0), at(15)],
      [at(15), at(30)],
      [at(30), at(45)],
      [at(45), at(60)],
    ]);
    expect(history.buckets.map((b) => b.counts)).toEqual([
      [{ stateType: "COMPLETED", count: 2 }],
      [],
      [{ stateType: "FAILED", count: 1 }],
      [{ stateType: "SCHEDULED", count: 1 }],
    ]);
  });

  it("defaults to 24 buckets and refuses more than 500", async () => {
    const res = await api.post("/api/flow-runs/history", window);
    expect((res.body as FlowRunHistory).buckets).toHaveLength(24);
    const tooMany = await api.post("/api/flow-runs/history", { ...window, buckets: 501 });
    expect(issuePaths(tooMany)).toContain("body.buckets");
  });
});

describe("counting task runs by state", () => {
  it("counts the task runs created in the window by state", async () => {
    const run = await createRun(5, null);
    const task = (minutes: number) => ({
      id: randomUUID(),
      flowRunId: run.id,
      taskKey: "t",
      name: "t",
      dynamicKey: String(minutes),
      createdAt: at(minutes),
    });
    const tasks = [task(1), task(2), task(3), task(70)];
    const state = (taskRunId: string, type: "COMPLETED" | "FAILED", minutes: number) => ({
      taskRunId,
      state: {
        id: randomUUID(),
        type,
        name: type === "COMPLETED" ? "Completed" : "Failed",
        timestamp: at(minutes),
        message: null,
        details: {},
        result: null,
      },
    });
    const batch = await api.post("/api/task-runs/batch", {
      taskRuns: tasks,
      states: [
        state(tasks[0]!.id, "COMPLETED", 1),
        state(tasks[1]!.id, "COMPLETED", 2),
        state(tasks[2]!.id, "FAILED", 3),
        state(tasks[3]!.id, "COMPLETED", 70),
      ],
    });
    expect(batch.status, JSON.stringify(batch.body)).toBe(200);
    const res = await api.post("/api/task-runs/count-by-state", window);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(counts(res.body)).toEqual({ "COMPLETED/Completed": 2, "FAILED/Failed": 1 });
    const other = await api.post("/api/task-runs/count-by-state", { ...window, flowRunIds: [randomUUID()] });
    expect(other.body).toEqual({ items: [] });
  });
});

describe("listing flow runs carrying any of some tags", () => {
  it("matches runs with at least one of the tags", async () => {
    const res = await api.post("/api/flow-runs/filter", {
      flowNames: [flowName],
      anyTags: ["dev", "prod"],
      sort: "EXPECTED_START_TIME_ASC",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(items<FlowRun>(res).map((r) => r.tags)).toEqual([["prod"], ["prod", "etl"], ["dev"]]);
  });
});

describe("listing workers of every pool", () => {
  it("answers each worker with its pool, filtered by pool name", async () => {
    const pools = [`activity-a-${randomUUID().slice(0, 8)}`, `activity-b-${randomUUID().slice(0, 8)}`];
    for (const name of pools) expect((await api.post("/api/work-pools", { name })).status).toBe(201);
    await api.post(`/api/work-pools/${pools[0]}/workers/heartbeat`, { name: "w1" });
    await api.post(`/api/work-pools/${pools[1]}/workers/heartbeat`, { name: "w2" });
    const res = await api.post("/api/workers/filter", { workPoolNames: pools });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(items<Worker>(res).map((w) => [w.workPoolName, w.name, w.status])).toEqual([
      [pools[0], "w1", "ONLINE"],
      [pools[1], "w2", "ONLINE"],
    ]);
    const all = await api.post("/api/workers/filter", {});
    expect(items<Worker>(all).length).toBeGreaterThanOrEqual(2);
  });
});
