import { randomUUID } from "node:crypto";
import type { Deployment, FlowRun, LateRunPolicy } from "@sluice/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server.js";
import { createTestClock } from "../testing/test-clock.js";
import { items, testHttp } from "../testing/test-http.js";
import { createLateRunsService, DEFAULT_LATE_RUNS_SETTINGS, handleLateRuns } from "./late-runs.js";
import { serviceDepsFor } from "./service-test-deps.js";

let server: TestServer;
let api: ReturnType<typeof testHttp>;
// Earlier than the other test files' clocks: on a shared PostgreSQL database this file's passes
// must not find their runs overdue.
const start = "2029-03-01T00:00:30.000Z";
const clock = createTestClock(start);
const suffix = randomUUID().slice(0, 8);
const pool = `late-${suffix}`;

beforeAll(async () => {
  server = await startTestServer({ clock, ownDatabase: true });
  api = testHttp(server.url);
  expect((await api.post("/api/work-pools", { name: pool })).status).toBe(201);
});
afterAll(() => server?.close());

let counter = 0;
/** An hourly deployment created at `start`: runs at 01:00, 02:00 and 03:00. */
async function deploy(lateRunPolicy: LateRunPolicy): Promise<Deployment> {
  clock.set(start);
  counter += 1;
  const res = await api.post("/api/deployments", {
    flowName: `late-${suffix}-${counter}`,
    name: "d",
    entrypoint: "flows/a.ts:a",
    workPoolName: pool,
    schedules: [{ schedule: { kind: "cron", cron: "0 * * * *" } }],
    lateRunPolicy,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Deployment;
}

async function statesOf(deploymentId: string): Promise<string[]> {
  const res = await api.post("/api/flow-runs/filter", {
    deploymentIds: [deploymentId],
    sort: "EXPECTED_START_TIME_ASC",
  });
  return items<FlowRun>(res).map((r) => `${r.expectedStartTime.slice(11, 16)} ${r.stateType}/${r.stateName}`);
}

/** Moves the clock to 20 s after the third run was due and runs a pass. */
async function passAfterAllDue() {
  clock.set("2029-03-01T03:00:20.000Z");
  return handleLateRuns(serviceDepsFor(server, clock));
}

describe("the late-runs service", () => {
  it("marks runs 15 s past due Late, keeping their scheduled time, and RUN_ALL runs them all", async () => {
    const deployment = await deploy({ mode: "RUN_ALL" });
    clock.set("2029-03-01T01:00:10.000Z");
    await handleLateRuns(serviceDepsFor(server, clock));
    expect(await statesOf(deployment.id)).toEqual([
      "01:00 SCHEDULED/Scheduled",
      "02:00 SCHEDULED/Scheduled",
      "03:00 SCHEDULED/Scheduled",
    ]);
    await passAfterAllDue();
    expect(await statesOf(deployment.id)).toEqual([
      "01:00 SCHEDULED/Late",
      "02:00 SCHEDULED/Late",
      "03:00 SCHEDULED/Late",
    ]);
    const runs = items<FlowRun>(await api.post("/api/flow-runs/filter", { deploymentIds: [deployment.id] }));
    for (const run of runs) {
      expect(run.state?.details.scheduledTime).toBe(run.expectedStartTime);
      expect(run.nextScheduledStartTime).toBe(run.expectedStartTime);
    }
  });

  it("RUN_LATEST cancels every Late run but the newest, saying why", async () => {
    const deployment = await deploy({ mode: "RUN_LATEST" });
    await passAfterAllDue();
    expect(await statesOf(deployment.id)).toEqual([
      "01:00 CANCELLED/Cancelled",
      "02:00 CANCELLED/Cancelled",
      "03:00 SCHEDULED/Late",
    ]);
    const runs = items<FlowRun>(
      await api.post("/api/flow-runs/filter", { deploymentIds: [deployment.id], stateTypes: ["CANCELLED"] }),
    );
    expect(runs[0]?.state?.message).toMatch(/late-run policy RUN_LATEST/);
  });

  it("SKIP_LATE cancels the runs later than its threshold", async () => {
    const deployment = await deploy({ mode: "SKIP_LATE", thresholdSeconds: 3600 });
    await passAfterAllDue();
    // 01:00 is 2 h late and 02:00 is 1 h 20 s late: both over the hour; 03:00 is 20 s late.
    expect(await statesOf(deployment.id)).toEqual([
      "01:00 CANCELLED/Cancelled",
      "02:00 CANCELLED/Cancelled",
      "03:00 SCHEDULED/Late",
    ]);
  });

  it("marks runs without a deployment Late and applies no policy to them", async () => {
    clock.set(start);
    const created = await api.post("/api/flow-runs", { flowName: `late-${suffix}-plain` });
    const run = created.body as FlowRun;
    clock.set("2029-03-01T00:00:46.000Z");
    const report = await createLateRunsService().run(serviceDepsFor(server, clock));
    expect(report).toMatchObject({ marked: expect.any(Number) as number });
    const read = (await api.get(`/api/flow-runs/${run.id}`)).body as FlowRun;
    expect(`${read.stateType}/${read.stateName}`).toBe("SCHEDULED/Late");
  });

  it("leaves runs that started alone", async () => {
    clock.set(start);
    const created = (await api.post("/api/flow-runs", { flowName: `late-${suffix}-started` }))
      .body as FlowRun;
    await api.post(`/api/flow-runs/${created.id}/set-state`, { state: { type: "RUNNING" } });
    clock.set("2029-03-01T01:00:00.000Z");
    await handleLateRuns(serviceDepsFor(server, clock), DEFAULT_LATE_RUNS_SETTINGS);
    expect(((await api.get(`/api/flow-runs/${created.id}`)).body as FlowRun).stateType).toBe("RUNNING");
  });
});
