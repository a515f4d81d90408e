import { MAX_PARAMETERS_BYTES, type FlowRun } from "@sluice/contracts";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server.js";
import { createTestClock } from "../testing/test-clock.js";
import { items, testHttp } from "../testing/test-http.js";

const clock = createTestClock("2020-01-01T00:00:00.000Z");
let server: TestServer;
let api: ReturnType<typeof testHttp>;
const flowName = `flow-runs-test-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  server = await startTestServer({ clock });
  api = testHttp(server.url);
});
afterAll(() => server?.close());

async function createRun(body: Record<string, unknown> = {}): Promise<FlowRun> {
  const res = await api.post("/api/flow-runs", { flowName, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as FlowRun;
}

const setState = (id: string, state: Record<string, unknown>, force = false) =>
  api.post(`/api/flow-runs/${id}/set-state`, { state, force });

describe("creating flow runs", () => {
  it("starts SCHEDULED due now, registering the flow by name", async () => {
    const run = await createRun({ parameters: { n: 1 }, tags: ["a"] });
    expect(run).toMatchObject({
      flowName,
      parameters: { n: 1 },
      tags: ["a"],
      stateType: "SCHEDULED",
      stateName: "Scheduled",
      runCount: 0,
      expectedStartTime: clock.now().toISOString(),
      policy: { retries: 0, retryDelaySeconds: 0 },
    });
    expect(run.state?.details.scheduledTime).toBe(clock.now().toISOString());
    const flow = await api.get(`/api/flows/${run.flowId}`);
    expect(flow.body).toMatchObject({ id: run.flowId, name: flowName });
  });

  it("may start RUNNING directly, counting the run", async () => {
    const run = await createRun({ state: { type: "RUNNING" } });
    expect(run).toMatchObject({ stateType: "RUNNING", runCount: 1, startTime: clock.now().toISOString() });
  });

  it("is idempotent by id and by idempotency key", async () => {
    const id = randomUUID();
    const first = await createRun({ id, name: "first" });
    const again = await createRun({ id, name: "second" });
    expect(again).toEqual(first);
    const key = `key-${randomUUID()}`;
    const a = await createRun({ idempotencyKey: key });
    const b = await createRun({ idempotencyKey: key });
    expect(b.id).toBe(a.id);
    const withNewId = await createRun({ id: randomUUID(), idempotencyKey: key });
    expect(withNewId.id).toBe(a.id);
    const [c, d] = await Promise.all([
      createRun({ idempotencyKey: `${key}-x` }),
      createRun({ idempotencyKey: `${key}-x` }),
    ]);
    expect(c.id).toBe(d.id);
  });

  it("answers 404 flow_not_found for an unknown flowId and 413 for oversized parameters", async () => {
    const missing = randomUUID();
    const res = await api.post("/api/flow-runs", { flowId: missing });
    expect(res).toMatchObject({ status: 404, body: { code: "flow_not_found", details: { id: missing } } });
    const big = await api.post("/api/flow-runs", {
      flowName,
      parameters: { blob: "x".repeat(MAX_PARAMETERS_BYTES) },
    });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ code: "payload_too_large", details: { field: "body.parameters" } });
    expect(big.body.message).toContain("body.parameters");
  });

  it("names the field of a wrong type and refuses a terminal initial state", async () => {
    const res = await api.post("/api/flow-runs", { flowName, parameters: { x: 1 }, tags: "nope" });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_failed");
    expect(res.body.details.issues).toEqual([expect.objectContaining({ path: "body.tags" })]);
    const badName = await api.post("/api/flow-runs", { flowName: "a/b" });
    expect(badName.status).toBe(400);
    expect(badName.body.details.issues[0].path).toBe("body.flowName");
    const terminal = await api.post("/api/flow-runs", { flowName, state: { type: "COMPLETED" } });
    expect(terminal.status).toBe(400);
    expect(terminal.body.details.issues[0].path).toBe("body.state.type");
  });
});

describe("orchestrating states", () => {
  it("walks the happy path and keeps the bookkeeping", async () => {
    const run = await createRun();
    const pending = await setState(run.id, { type: "PENDING" });
    expect(pending.body.status).toBe("ACCEPT");
    expect(pending.body.state.details.scheduledTime).toBe(run.state?.details.scheduledTime);
    expect((await setState(run.id, { type: "RUNNING" })).body.status).toBe("ACCEPT");
    clock.advance(1500);
    const result = { storage: "local", key: "abc", serializer: "json" };
    const done = await setState(run.id, { type: "COMPLETED", result });
    expect(done).toMatchObject({ status: 200, body: { status: "ACCEPT", state: { type: "COMPLETED" } } });
    const read = (await api.get(`/api/flow-runs/${run.id}`)).body as FlowRun;
    expect(read).toMatchObject({
      runCount: 1,
      totalRunTimeMs: 1500,
      result,
      endTime: clock.now().toISOString(),
    });
    const history = await api.get(`/api/flow-runs/${run.id}/states`);
    expect((history.body as { type: string }[]).map((s) => s.type)).toEqual([
      "SCHEDULED",
      "PENDING",
      "RUNNING",
      "COMPLETED",
    ]);
  });

  it("rejects a transition out of a terminal state with 409 naming the current state", async () => {
    const run = await createRun({ state: { type: "RUNNING" } });
    await setState(run.id, { type: "COMPLETED" });
    const res = await setState(run.id, { type: "RUNNING" });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: "invalid_state_transition",
      details: { currentState: { type: "COMPLETED" } },
    });
    expect(res.body.message).toContain("COMPLETED");
    const rerun = await setState(run.id, { type: "SCHEDULED" });
    expect(rerun.body.status).toBe("ACCEPT");
    expect((await api.get(`/api/flow-runs/${run.id}`)).body.endTime).toBeNull();
  });

  it("answers a re-sent proposal like the first, and refuses a state id used before", async () => {
    const run = await createRun();
    const proposal = { id: randomUUID(), type: "PENDING" };
    const first = await setState(run.id, proposal);
    const again = await setState(run.id, proposal);
    expect(again).toEqual(first);
    await setState(run.id, { type: "RUNNING" });
    const reused = await setState(run.id, { ...proposal, type: "COMPLETED" });
    expect(reused).toMatchObject({ status: 409, body: { code: "conflict" } });
    expect((await api.get(`/api/flow-runs/${run.id}`)).body.stateType).toBe("RUNNING");
  });

  it("aborts a second claim with 409 state_transition_aborted", async () => {
    const run = await createRun();
    await setState(run.id, { type: "PENDING" });
    const res = await setState(run.id, { type: "PENDING" });
    expect(res).toMatchObject({ status: 409, body: { code: "state_transition_aborted" } });
  });

  it("lets exactly one of several simultaneous claims win", async () => {
    const run = await createRun();
    const results = await Promise.all(Array.from({ length: 6 }, () => setState(run.id, { type: "PENDING" })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const losers = results.filter((r) => r.status !== 200);
    expect(losers.every((r) => r.status === 409 && r.body.code === "state_transition_aborted")).toBe(true);
    expect((await api.get(`/api/flow-runs/${run.id}/states`)).body).toHaveLength(2);
  });

  it("makes an early start WAIT, then accepts it when due", async () => {
    const due = new Date(clock.now().getTime() + 60_000).toISOString();
    const run = await createRun({ state: { type: "SCHEDULED", details: { scheduledTime: due } } });
    expect(run.expectedStartTime).toBe(due);
    const early = await setState(run.id, { type: "PENDING" });
    expect(early).toMatchObject({
      status: 200,
      body: { status: "WAIT", retryAfterSeconds: 60, state: { type: "SCHEDULED" } },
    });
    clock.advance(60_000);
    expect((await setState(run.id, { type: "PENDING" })).body.status).toBe("ACCEPT");
  });

  it("retries a failed run as AwaitingRetry until retries are used up", async () => {
    const run = await createRun({ policy: { retries: 1, retryDelaySeconds: 5 }, state: { type: "RUNNING" } });
    const first = await setState(run.id, { type: "FAILED", message: "boom" });
    expect(first.body.state).toMatchObject({ type: "SCHEDULED", name: "AwaitingRetry", message: "boom" });
    expect((await setState(run.id, { type: "RUNNING", name: "Retrying" })).body.status).toBe("WAIT");
    clock.advance(5_000);
    expect((await setState(run.id, { type: "RUNNING", name: "Retrying" })).body.status).toBe("ACCEPT");
    const second = await setState(run.id, { type: "FAILED" });
    expect(second.body.state.type).toBe("FAILED");
    expect((await api.get(`/api/flow-runs/${run.id}`)).body).toMatchObject({
      runCount: 2,
      stateType: "FAILED",
    });
  });

  it("cancels a scheduled run at once, enforces CANCELLING -> CANCELLED, and honours force", async () => {
    const scheduled = await createRun();
    const cancelled = await setState(scheduled.id, { type: "CANCELLING" });
    expect(cancelled.body.state).toMatchObject({ type: "CANCELLED", name: "Cancelled" });
    const running = await createRun({ state: { type: "RUNNING" } });
    expect((await setState(running.id, { type: "CANCELLING" })).body.state.type).toBe("CANCELLING");
    expect((await setState(running.id, { type: "COMPLETED" })).status).toBe(409);
    expect((await setState(running.id, { type: "COMPLETED" }, true)).body.status).toBe("ACCEPT");
    const late = await setState(running.id, { type: "SCHEDULED", name: "Late" });
    expect(late.status).toBe(409);
    expect(late.body.message).toContain("Late");
  });

  it("answers 404 flow_run_not_found for unknown runs", async () => {
    const id = randomUUID();
    for (const res of [
      await api.get(`/api/flow-runs/${id}`),
      await setState(id, { type: "RUNNING" }),
      await api.get(`/api/flow-runs/${id}/states`),
      await api.get(`/api/flow-runs/${id}/graph`),
      await api.post(`/api/flow-runs/${id}/heartbeat`),
      await api.delete(`/api/flow-runs/${id}`),
    ]) {
      expect(res).toMatchObject({ status: 404, body: { code: "flow_run_not_found", details: { id } } });
    }
  });
});

describe("heartbeat, graph and delete", () => {
  it("answers a heartbeat with the run, so the engine notices CANCELLING", async () => {
    const run = await createRun({ state: { type: "RUNNING" } });
    await setState(run.id, { type: "CANCELLING" });
    clock.advance(250);
    const res = await api.post(`/api/flow-runs/${run.id}/heartbeat`);
    expect(res).toMatchObject({ status: 200, body: { id: run.id, stateType: "CANCELLING" } });
    const row = await server.db.db
      .selectFrom("flow_runs")
      .select("last_heartbeat_at")
      .where("id", "=", run.id)
      .executeTakeFirstOrThrow();
    expect(row.last_heartbeat_at?.toISOString()).toBe(clock.now().toISOString());
  });

  it("builds the graph from task inputs and subflow runs, and deletes everything with the run", async () => {
    const parent = await createRun({ state: { type: "RUNNING" } });
    const [a, b] = [randomUUID(), randomUUID()];
    const taskRun = (id: string, second: number, inputs: Record<string, unknown>) => ({
      id,
      flowRunId: parent.id,
      taskKey: "t",
      name: `t-${id.slice(0, 4)}`,
      dynamicKey: id,
      taskInputs: inputs,
      createdAt: `2020-01-01T00:00:0${second}.000Z`,
    });
    const inputs = {
      x: [
        { kind: "task-run", id: a },
        { kind: "parameter", name: "p" },
      ],
    };
    const batch = await api.post("/api/task-runs/batch", {
      taskRuns: [taskRun(b, 2, inputs), taskRun(a, 1, {})],
    });
    expect(batch.status).toBe(200);
    const child = await createRun({ parentTaskRunId: b });
    const graph = (await api.get(`/api/flow-runs/${parent.id}/graph`)).body;
    expect(graph.nodes).toEqual([
      expect.objectContaining({ id: a, kind: "task-run", upstream: [], childFlowRunId: null }),
      expect.objectContaining({ id: b, kind: "task-run", upstream: [a], childFlowRunId: child.id }),
      expect.objectContaining({ id: child.id, kind: "flow-run", upstream: [b] }),
    ]);
    const children = await api.post("/api/flow-runs/filter", { parentFlowRunId: parent.id });
    expect(items<FlowRun>(children).map((r) => r.id)).toEqual([child.id]);
    expect((await api.delete(`/api/flow-runs/${parent.id}`)).status).toBe(200);
    expect((await api.get(`/api/task-runs/${a}`)).status).toBe(404);
  });
});
