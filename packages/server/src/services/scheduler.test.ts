import { randomUUID } from "node:crypto";
import type { Deployment, FlowRun } from "@sluice/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server.js";
import { createTestClock } from "../testing/test-clock.js";
import { items, testHttp } from "../testing/test-http.js";
import { createSchedulerService, DEFAULT_SCHEDULER_SETTINGS, scheduleDeployments } from "./scheduler.js";
import { serviceDepsFor } from "./service-test-deps.js";

let server: TestServer;
let api: ReturnType<typeof testHttp>;
// The earliest of the test files' clocks: on a shared PostgreSQL database a full pass here finds
// the other files' deployments already scheduled further ahead, and leaves them alone.
const start = "2028-06-01T00:00:00.000Z";
const clock = createTestClock(start);
const suffix = randomUUID().slice(0, 8);
const pool = `sched-${suffix}`;

beforeAll(async () => {
  server = await startTestServer({ clock, ownDatabase: true });
  api = testHttp(server.url);
  expect((await api.post("/api/work-pools", { name: pool })).status).toBe(201);
});
afterAll(() => server?.close());

let counter = 0;
async function deploy(cron: string, fields: Record<string, unknown> = {}): Promise<Deployment> {
  counter += 1;
  const res = await api.post("/api/deployments", {
    flowName: `sched-${suffix}-${counter}`,
    name: "d",
    entrypoint: "flows/a.ts:a",
    workPoolName: pool,
    schedules: [{ schedule: { kind: "cron", cron }, parameters: { from: "schedule" } }],
    parameters: { from: "deployment", keep: true },
    ...fields,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Deployment;
}

async function runsOf(deploymentId: string): Promise<FlowRun[]> {
  const res = await api.post("/api/flow-runs/filter", {
    deploymentIds: [deploymentId],
    sort: "EXPECTED_START_TIME_ASC",
    limit: 200,
  });
  return items<FlowRun>(res);
}

describe("the scheduler", () => {
  it("keeps at least an hour of runs for a one-minute cron, with the schedule's parameters", async () => {
    clock.set(start);
    const deployment = await deploy("* * * * *");
    const runs = await runsOf(deployment.id);
    expect(runs).toHaveLength(61); // 00:00 to 01:00, both included
    expect(runs[0]?.expectedStartTime).toBe(start);
    expect(runs.at(-1)?.expectedStartTime).toBe("2028-06-01T01:00:00.000Z");
    expect(runs[0]?.parameters).toEqual({ from: "schedule", keep: true });
  });

  it("keeps at least three runs of a daily cron, and never more than 100", async () => {
    clock.set(start);
    const daily = await deploy("0 6 * * *");
    expect((await runsOf(daily.id)).map((r) => r.expectedStartTime.slice(0, 10))).toEqual([
      "2028-06-01",
      "2028-06-02",
      "2028-06-03",
    ]);
    const minutely = await deploy("* * * * *", { paused: true });
    const deps = serviceDepsFor(server, clock);
    await api.patch(`/api/deployments/${minutely.id}`, { paused: false });
    expect(await runsOf(minutely.id)).toHaveLength(61);
    const wide = { ...DEFAULT_SCHEDULER_SETTINGS, minScheduledTimeMs: 3 * 3_600_000 };
    await scheduleDeployments(deps, wide, [minutely.id]);
    expect(await runsOf(minutely.id)).toHaveLength(100);
  });

  it("is idempotent: a second pass, or two at once, create nothing more", async () => {
    clock.set(start);
    const deployment = await deploy("*/10 * * * *");
    const before = (await runsOf(deployment.id)).map((r) => r.id);
    expect(before).toHaveLength(7);
    const deps = serviceDepsFor(server, clock);
    const passes = await Promise.all([
      scheduleDeployments(deps, undefined, [deployment.id]),
      scheduleDeployments(deps, undefined, [deployment.id]),
    ]);
    expect(passes.map((p) => p.runsCreated)).toEqual([0, 0]);
    expect((await runsOf(deployment.id)).map((r) => r.id)).toEqual(before);
  });

  it("tops the window up as time passes, and reports what it did", async () => {
    clock.set(start);
    const deployment = await deploy("*/10 * * * *");
    clock.set("2028-06-01T00:25:00.000Z");
    const service = createSchedulerService();
    const deps = serviceDepsFor(server, clock);
    const report = await service.run(deps);
    expect(report).toMatchObject({ runsCreated: expect.any(Number) as number });
    const times = (await runsOf(deployment.id)).map((r) => r.expectedStartTime.slice(11, 16));
    expect(times).toEqual(["00:00", "00:10", "00:20", "00:30", "00:40", "00:50", "01:00", "01:10", "01:20"]);
    // Runs due before the next pass are announced, so a waiting worker can wake for them.
    const announced = deps.published.filter(
      (e) => e.kind === "flow-run-state" && e.deploymentId === deployment.id,
    );
    expect(announced).toEqual([]);
    clock.set("2028-06-01T01:29:30.000Z");
    await service.run(deps);
    const soon = deps.published.filter(
      (e) => e.kind === "flow-run-state" && e.deploymentId === deployment.id,
    );
    expect(soon.map((e) => (e.kind === "flow-run-state" ? e.scheduledTime : null))).toEqual([
      "2028-06-01T01:30:00.000Z",
    ]);
  });

  it("leaves paused deployments and inactive schedules alone", async () => {
    clock.set(start);
    const paused = await deploy("*/5 * * * *", { paused: true });
    const inactive = await deploy("*/5 * * * *", {
      schedules: [{ schedule: { kind: "cron", cron: "*/5 * * * *" }, active: false }],
    });
    await scheduleDeployments(serviceDepsFor(server, clock), undefined, [paused.id, inactive.id]);
    expect(await runsOf(paused.id)).toEqual([]);
    expect(await runsOf(inactive.id)).toEqual([]);
  });
});
