import { randomUUID } from "node:crypto";
import type { Deployment, FlowRun } from "@sluice/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server.js";
import { createTestClock } from "../testing/test-clock.js";
import { issuePaths, items, testHttp } from "../testing/test-http.js";

let server: TestServer;
let api: ReturnType<typeof testHttp>;
const clock = createTestClock("2030-01-01T00:00:30Z");
const suffix = randomUUID().slice(0, 8);
const pool = `pool-${suffix}`;
const hourly = { schedule: { kind: "cron", cron: "0 * * * *" } };

beforeAll(async () => {
  server = await startTestServer({ clock });
  api = testHttp(server.url);
  const created = await api.post("/api/work-pools", { name: pool, type: "process" });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
});
afterAll(() => server?.close());

let counter = 0;
/** Upserts a deployment of a fresh flow; answers the response. */
async function upsert(fields: Record<string, unknown> = {}) {
  counter += 1;
  return api.post("/api/deployments", {
    flowName: `flow-${suffix}-${counter}`,
    name: "nightly",
    entrypoint: "flows/etl.ts:etl",
    workPoolName: pool,
    ...fields,
  });
}

async function runsOf(deploymentId: string): Promise<FlowRun[]> {
  const res = await api.post("/api/flow-runs/filter", {
    deploymentIds: [deploymentId],
    sort: "EXPECTED_START_TIME_ASC",
    limit: 200,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return items<FlowRun>(res);
}

describe("upserting deployments", () => {
  it("creates a deployment in the pool's default queue and schedules its runs at once", async () => {
    const res = await upsert({ schedules: [hourly], tags: ["etl"], parameters: { limit: 5 } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const deployment = res.body as Deployment;
    expect(deployment).toMatchObject({ workPoolName: pool, workQueueName: "default", paused: false });
    expect(deployment.schedules).toHaveLength(1);
    const runs = await runsOf(deployment.id);
    // Hourly: three runs (01:00, 02:00, 03:00) cover both "at least 3" and "at least 1 h ahead".
    expect(runs.map((r) => r.expectedStartTime)).toEqual([
      "2030-01-01T01:00:00.000Z",
      "2030-01-01T02:00:00.000Z",
      "2030-01-01T03:00:00.000Z",
    ]);
    const scheduleId = deployment.schedules[0]?.id;
    for (const run of runs) {
      expect(run).toMatchObject({
        stateType: "SCHEDULED",
        stateName: "Scheduled",
        autoScheduled: true,
        scheduleId,
        deploymentId: deployment.id,
        workPoolName: pool,
        workQueueName: "default",
        parameters: { limit: 5 },
        tags: ["etl"],
        nextScheduledStartTime: run.expectedStartTime,
      });
      expect(run.idempotencyKey).toBe(`scheduled:${scheduleId}:${run.expectedStartTime}`);
      expect(run.state?.details.scheduledTime).toBe(run.expectedStartTime);
    }
  });

  it("reads a deployment by id and by name, and lists them page by page", async () => {
    const first = (await upsert()).body as Deployment;
    const second = (await upsert({ name: "hourly" })).body as Deployment;
    expect((await api.get(`/api/deployments/${first.id}`)).body).toEqual(first);
    const byName = await api.get(`/api/deployments/name/${first.flowName}/${first.name}`);
    expect(byName.body).toEqual(first);
    const flowNames = [first.flowName, second.flowName];
    const page1 = await api.post("/api/deployments/filter", { flowNames, limit: 1 });
    const page2 = await api.post("/api/deployments/filter", {
      flowNames,
      limit: 1,
      cursor: page1.body.nextCursor,
    });
    expect([...items<Deployment>(page1), ...items<Deployment>(page2)].map((d) => d.name)).toEqual([
      "hourly",
      "nightly",
    ]);
    expect(page2.body.nextCursor).toBeNull();
    const missing = await api.get(`/api/deployments/name/${first.flowName}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("deployment_not_found");
  });

  it("answers 404 naming an unknown work pool or work queue", async () => {
    const noPool = await upsert({ workPoolName: "no-such-pool" });
    expect(noPool.status).toBe(404);
    expect(noPool.body).toMatchObject({ code: "work_pool_not_found", details: { name: "no-such-pool" } });
    expect(noPool.body.message).toContain("no-such-pool");
    const noQueue = await upsert({ workQueueName: "no-such-queue" });
    expect(noQueue.status).toBe(404);
    expect(noQueue.body).toMatchObject({ code: "work_queue_not_found", details: { name: "no-such-queue" } });
  });

  it("answers 400 invalid_schedule naming each bad schedule field", async () => {
    const res = await upsert({
      schedules: [
        hourly,
        { schedule: { kind: "cron", cron: "0 25 * * *" } },
        { schedule: { kind: "rrule", rrule: "FREQ=DAILY", timezone: "Mars/Olympus" } },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("invalid_schedule");
    expect(issuePaths(res)).toEqual(["body.schedules.1.schedule.cron", "body.schedules.2.schedule.timezone"]);
  });

  it("keeps unchanged schedules and their runs, and drops the runs of changed or removed ones", async () => {
    const flowName = `flow-${suffix}-replace`;
    const first = (await upsert({ flowName, schedules: [hourly] })).body as Deployment;
    const runIds = (await runsOf(first.id)).map((r) => r.id);
    const again = (await upsert({ flowName, schedules: [hourly] })).body as Deployment;
    expect(again.id).toBe(first.id);
    expect(again.schedules.map((s) => s.id)).toEqual(first.schedules.map((s) => s.id));
    expect((await runsOf(first.id)).map((r) => r.id)).toEqual(runIds);

    const manual = await api.post(`/api/deployments/${first.id}/runs`, {});
    expect(manual.status).toBe(201);
    const changed = (
      await upsert({ flowName, schedules: [{ schedule: { kind: "cron", cron: "30 * * * *" } }] })
    ).body as Deployment;
    expect(changed.schedules[0]?.id).not.toBe(first.schedules[0]?.id);
    const afterChange = await runsOf(first.id);
    expect(afterChange.filter((r) => runIds.includes(r.id))).toEqual([]);
    expect(afterChange.filter((r) => r.autoScheduled).map((r) => r.expectedStartTime.slice(14, 16))).toEqual([
      "30",
      "30",
      "30",
    ]);

    const cleared = (await upsert({ flowName, schedules: [] })).body as Deployment;
    expect(cleared.schedules).toEqual([]);
    // Prefect ignores `schedules: []`; here the schedules and their runs go, the manual run stays.
    expect((await runsOf(first.id)).map((r) => r.id)).toEqual([(manual.body as FlowRun).id]);
  });

  it("drops auto-scheduled runs made from old parameters when the deployment's parameters change", async () => {
    const flowName = `flow-${suffix}-params`;
    const first = (await upsert({ flowName, schedules: [hourly], parameters: { limit: 1 } }))
      .body as Deployment;
    await upsert({ flowName, schedules: [hourly], parameters: { limit: 2 } });
    const runs = await runsOf(first.id);
    expect(runs).toHaveLength(3);
    expect(runs.map((r) => r.parameters)).toEqual([{ limit: 2 }, { limit: 2 }, { limit: 2 }]);
  });
});

describe("pausing and deleting deployments", () => {
  it("pausing drops the runs not yet started; resuming schedules them again at once", async () => {
    const deployment = (await upsert({ schedules: [hourly] })).body as Deployment;
    expect(await runsOf(deployment.id)).toHaveLength(3);
    const paused = await api.patch(`/api/deployments/${deployment.id}`, { paused: true });
    expect(paused.body.paused).toBe(true);
    expect(await runsOf(deployment.id)).toEqual([]);
    const resumed = await api.patch(`/api/deployments/${deployment.id}`, { paused: false });
    expect(resumed.body.paused).toBe(false);
    expect(await runsOf(deployment.id)).toHaveLength(3);
  });

  it("changes the late-run policy and limits", async () => {
    const deployment = (await upsert()).body as Deployment;
    const res = await api.patch(`/api/deployments/${deployment.id}`, {
      lateRunPolicy: { mode: "SKIP_LATE", thresholdSeconds: 60 },
      concurrencyLimit: 2,
      collisionStrategy: "CANCEL_NEW",
    });
    expect(res.body).toMatchObject({
      lateRunPolicy: { mode: "SKIP_LATE", thresholdSeconds: 60 },
      concurrencyLimit: 2,
      collisionStrategy: "CANCEL_NEW",
    });
  });

  it("deleting removes the deployment and its runs not yet started", async () => {
    const deployment = (await upsert({ schedules: [hourly] })).body as Deployment;
    await api.post(`/api/deployments/${deployment.id}/runs`, {});
    expect(await runsOf(deployment.id)).toHaveLength(4);
    expect((await api.delete(`/api/deployments/${deployment.id}`)).status).toBe(200);
    expect((await api.get(`/api/deployments/${deployment.id}`)).status).toBe(404);
    expect((await api.delete(`/api/deployments/${deployment.id}`)).status).toBe(404);
    expect(await runsOf(deployment.id)).toEqual([]);
  });
});

describe("running a deployment", () => {
  const parameterSchema = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    properties: { limit: { type: "integer", minimum: 1 }, source: { type: "string" } },
    required: ["source"],
    additionalProperties: false,
  };

  it("refuses invalid parameters naming each failing field", async () => {
    const deployment = (await upsert({ parameterSchema, parameters: { limit: 5 } })).body as Deployment;
    const res = await api.post(`/api/deployments/${deployment.id}/runs`, {
      parameters: { limit: 0, extra: true },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("invalid_parameters");
    expect(issuePaths(res).sort()).toEqual(["parameters.extra", "parameters.limit", "parameters.source"]);
  });

  it("merges parameters, job variables and tags over the deployment's and queues the run", async () => {
    const deployment = (
      await upsert({
        parameterSchema,
        parameters: { limit: 5, source: "s3" },
        jobVariables: { env: { A: "1" }, cwd: "/srv" },
        tags: ["etl"],
        crashRetries: 2,
      })
    ).body as Deployment;
    const res = await api.post(`/api/deployments/${deployment.id}/runs`, {
      parameters: { limit: 7 },
      jobVariables: { cwd: "/tmp" },
      tags: ["manual", "etl"],
      idempotencyKey: "once",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const run = res.body as FlowRun;
    expect(run).toMatchObject({
      flowName: deployment.flowName,
      deploymentId: deployment.id,
      autoScheduled: false,
      scheduleId: null,
      parameters: { limit: 7, source: "s3" },
      jobVariables: { env: { A: "1" }, cwd: "/tmp" },
      tags: ["etl", "manual"],
      policy: { crashRetries: 2 },
      workPoolName: pool,
      workQueueName: "default",
      stateType: "SCHEDULED",
      nextScheduledStartTime: clock.now().toISOString(),
    });
    const again = await api.post(`/api/deployments/${deployment.id}/runs`, { idempotencyKey: "once" });
    expect((again.body as FlowRun).id).toBe(run.id);
  });

  it("schedules a run later when given a state with a scheduled time", async () => {
    const deployment = (await upsert()).body as Deployment;
    const later = "2030-01-02T00:00:00.000Z";
    const res = await api.post(`/api/deployments/${deployment.id}/runs`, {
      state: { type: "SCHEDULED", details: { scheduledTime: later } },
    });
    expect(res.status).toBe(201);
    expect((res.body as FlowRun).nextScheduledStartTime).toBe(later);
  });

  it("accepts any parameters when the deployment does not enforce its schema", async () => {
    const deployment = (await upsert({ parameterSchema, enforceParameterSchema: false })).body as Deployment;
    const res = await api.post(`/api/deployments/${deployment.id}/runs`, { parameters: { limit: "many" } });
    expect(res.status).toBe(201);
  });

  it("answers 409 for a deployment without a work pool, and 404 for an unknown queue", async () => {
    const noPool = (await upsert({ workPoolName: null })).body as Deployment;
    const res = await api.post(`/api/deployments/${noPool.id}/runs`, {});
    expect(res.status).toBe(409);
    expect(res.body.message).toContain("no work pool");
    const deployment = (await upsert()).body as Deployment;
    const queue = await api.post(`/api/deployments/${deployment.id}/runs`, { workQueueName: "nope" });
    expect(queue.status).toBe(404);
    expect(queue.body.code).toBe("work_queue_not_found");
  });
});
