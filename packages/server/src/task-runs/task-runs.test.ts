import { randomUUID } from "node:crypto";
import type { FlowRun, State, TaskRun } from "@sluice/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server.js";
import { issuePaths, items, testHttp } from "../testing/test-http.js";

let server: TestServer;
let api: ReturnType<typeof testHttp>;

beforeAll(async () => {
  server = await startTestServer();
  api = testHttp(server.url);
});
afterAll(() => server?.close());

async function createRun(): Promise<FlowRun> {
  const res = await api.post("/api/flow-runs", { flowName: "task-runs-test", state: { type: "RUNNING" } });
  expect(res.status).toBe(201);
  return res.body as FlowRun;
}

const at = (ms: number) => new Date(Date.UTC(2020, 0, 1) + ms).toISOString();

function taskRun(flowRunId: string, i: number, extra: { createdAt?: string; [field: string]: unknown } = {}) {
  return {
    id: randomUUID(),
    flowRunId,
    taskKey: `task-${i % 3}`,
    name: `task-${i}`,
    dynamicKey: String(i),
    ...extra,
  };
}

function state(type: State["type"], ms: number, extra: Partial<State> = {}): State {
  const name = { RUNNING: "Running", COMPLETED: "Completed", PENDING: "Pending", FAILED: "Failed" }[
    type as "RUNNING"
  ];
  return {
    id: randomUUID(),
    type,
    name,
    timestamp: at(ms),
    message: null,
    details: {},
    result: null,
    ...extra,
  };
}

describe("recording task runs in batches", () => {
  it("stores task runs and states, derives the current state and bookkeeping, and skips re-sent rows", async () => {
    const run = await createRun();
    const t = taskRun(run.id, 0, {
      tags: ["etl"],
      taskInputs: { x: [{ kind: "constant", type: "number" }] },
    });
    const result = { storage: "local", key: "r1", serializer: "json" as const };
    const states = [
      { taskRunId: t.id, state: state("PENDING", 0) },
      { taskRunId: t.id, state: state("RUNNING", 10) },
      { taskRunId: t.id, state: state("FAILED", 110) },
      { taskRunId: t.id, state: state("RUNNING", 200, { name: "Retrying" }) },
      {
        taskRunId: t.id,
        state: state("COMPLETED", 250, { result, details: { cacheKey: "k1", cacheExpiration: at(99_000) } }),
      },
    ];
    // The states arrive out of order, in two batches, and the second batch repeats the first.
    const first = await api.post("/api/task-runs/batch", { taskRuns: [t], states: states.slice(2) });
    expect(first.body).toEqual({ taskRunsCreated: 1, statesCreated: 3, duplicatesSkipped: 0 });
    const second = await api.post("/api/task-runs/batch", { taskRuns: [t], states });
    expect(second.body).toEqual({ taskRunsCreated: 0, statesCreated: 2, duplicatesSkipped: 4 });
    const again = await api.post("/api/task-runs/batch", { taskRuns: [t], states });
    expect(again.body).toEqual({ taskRunsCreated: 0, statesCreated: 0, duplicatesSkipped: 6 });

    const read = (await api.get(`/api/task-runs/${t.id}`)).body as TaskRun;
    expect(read).toMatchObject({
      stateType: "COMPLETED",
      stateName: "Completed",
      runCount: 2,
      startTime: at(10),
      endTime: at(250),
      totalRunTimeMs: 150,
      cacheKey: "k1",
      cacheExpiration: at(99_000),
      result,
      tags: ["etl"],
    });
    const history = (await api.get(`/api/task-runs/${t.id}/states`)).body as State[];
    expect(history.map((s) => s.timestamp)).toEqual([0, 10, 110, 200, 250].map(at));
  });

  it("converges when batches about the same task runs arrive at once", async () => {
    const run = await createRun();
    const taskRuns = Array.from({ length: 20 }, (_, i) => taskRun(run.id, i));
    const batchOf = (type: State["type"], ms: number) => ({
      taskRuns,
      states: taskRuns.map((t) => ({ taskRunId: t.id, state: state(type, ms) })),
    });
    const [pending, running, completed] = [
      batchOf("PENDING", 0),
      batchOf("RUNNING", 10),
      batchOf("COMPLETED", 30),
    ];
    // The RUNNING batch is sent twice, as an engine retrying a flush would.
    const answers = await Promise.all(
      [pending, running, completed, running].map((batch) => api.post("/api/task-runs/batch", batch)),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const page = await api.post("/api/task-runs/filter", { flowRunIds: [run.id], limit: 100 });
    for (const t of items<TaskRun>(page)) {
      expect(t).toMatchObject({ stateType: "COMPLETED", runCount: 1, startTime: at(10), endTime: at(30) });
    }
  });

  it("answers 404 naming an unknown flow run or task run, storing nothing", async () => {
    const missing = randomUUID();
    const t = taskRun(missing, 0);
    const res = await api.post("/api/task-runs/batch", { taskRuns: [t] });
    expect(res).toMatchObject({
      status: 404,
      body: { code: "flow_run_not_found", details: { id: missing } },
    });
    expect(res.body.message).toContain(missing);
    const orphan = await api.post("/api/task-runs/batch", {
      states: [{ taskRunId: missing, state: state("RUNNING", 0) }],
    });
    expect(orphan).toMatchObject({
      status: 404,
      body: { code: "task_run_not_found", details: { id: missing } },
    });
    expect((await api.get(`/api/task-runs/${t.id}`)).body.code).toBe("task_run_not_found");
    expect((await api.get(`/api/task-runs/${t.id}/states`)).status).toBe(404);
  });

  it("names the bad field of a batch", async () => {
    const res = await api.post("/api/task-runs/batch", { taskRuns: [{ id: "nope" }] });
    expect(res.status).toBe(400);
    expect(issuePaths(res)).toContain("body.taskRuns.0.id");
  });

  it("stores a large batch in one go (10,000 task runs, 30,000 states)", async () => {
    const run = await createRun();
    const taskRuns = Array.from({ length: 10_000 }, (_, i) => taskRun(run.id, i));
    const states = taskRuns.flatMap((t, i) => [
      { taskRunId: t.id, state: state("PENDING", i) },
      { taskRunId: t.id, state: state("RUNNING", i + 1) },
      { taskRunId: t.id, state: state("COMPLETED", i + 3) },
    ]);
    const res = await api.post("/api/task-runs/batch", { taskRuns, states });
    expect(res.body).toEqual({ taskRunsCreated: 10_000, statesCreated: 30_000, duplicatesSkipped: 0 });
    const count = await api.post("/api/task-runs/filter", {
      flowRunIds: [run.id],
      stateTypes: ["COMPLETED"],
      limit: 1,
    });
    expect(count.body.items[0]).toMatchObject({ runCount: 1, totalRunTimeMs: 2 });
  });
});

describe("listing task runs", () => {
  it("filters and pages with a stable order", async () => {
    const run = await createRun();
    const taskRuns = Array.from({ length: 7 }, (_, i) =>
      taskRun(run.id, i, { createdAt: at(i % 3), tags: i % 2 === 0 ? ["even", "x"] : ["odd"] }),
    );
    await api.post("/api/task-runs/batch", {
      taskRuns,
      states: taskRuns.map((t, i) => ({ taskRunId: t.id, state: state(i < 4 ? "RUNNING" : "COMPLETED", i) })),
    });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.post("/api/task-runs/filter", { flowRunIds: [run.id], limit: 3, cursor });
      expect(page.status).toBe(200);
      seen.push(...items<TaskRun>(page).map((t) => t.id));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    const expected = [...taskRuns]
      .sort((a, b) => a.createdAt!.localeCompare(b.createdAt!) || a.id.localeCompare(b.id))
      .map((t) => t.id);
    expect(seen).toEqual(expected);
    const even = await api.post("/api/task-runs/filter", { flowRunIds: [run.id], tags: ["even", "x"] });
    expect(even.body.items).toHaveLength(4);
    const done = await api.post("/api/task-runs/filter", { flowRunIds: [run.id], stateTypes: ["COMPLETED"] });
    expect(done.body.items).toHaveLength(3);
    const keyed = await api.post("/api/task-runs/filter", {
      flowRunIds: [run.id],
      taskKeys: ["task-0"],
      sort: "NAME_ASC",
    });
    expect(items<TaskRun>(keyed).map((t) => t.name)).toEqual(["task-0", "task-3", "task-6"]);
  });

  it("rejects a cursor from another sort", async () => {
    const run = await createRun();
    await api.post("/api/task-runs/batch", { taskRuns: [taskRun(run.id, 1), taskRun(run.id, 2)] });
    const page = await api.post("/api/task-runs/filter", { flowRunIds: [run.id], limit: 1 });
    const res = await api.post("/api/task-runs/filter", { cursor: page.body.nextCursor, sort: "NAME_ASC" });
    expect(res).toMatchObject({ status: 400, body: { code: "validation_failed" } });
    expect(res.body.details.issues[0].path).toBe("body.cursor");
    const junk = await api.post("/api/task-runs/filter", { cursor: "not-a-cursor" });
    expect(junk.status).toBe(400);
  });
});
