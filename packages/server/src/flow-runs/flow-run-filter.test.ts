import { randomUUID } from "node:crypto";
import type { FlowRun } from "@sluice/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server.js";
import { items, testHttp } from "../testing/test-http.js";

let server: TestServer;
let api: ReturnType<typeof testHttp>;
const flowName = `filter-test-${randomUUID().slice(0, 8)}`;
const otherFlow = `${flowName}-other`;
const runs: FlowRun[] = [];

const at = (minutes: number) => new Date(Date.UTC(2020, 0, 1, 0, minutes)).toISOString();

beforeAll(async () => {
  server = await startTestServer();
  api = testHttp(server.url);
  // 12 runs; expected start times collide in pairs so ties must be broken by id.
  for (let i = 0; i < 12; i++) {
    const res = await api.post("/api/flow-runs", {
      flowName: i % 4 === 3 ? otherFlow : flowName,
      name: `run-${String(i).padStart(2, "0")}`,
      tags: i % 2 === 0 ? ["even", "all"] : ["odd", "all"],
      state: { type: "SCHEDULED", details: { scheduledTime: at(Math.floor(i / 2)) } },
    });
    runs.push(res.body as FlowRun);
  }
  for (const run of runs.slice(0, 3))
    await api.post(`/api/flow-runs/${run.id}/set-state`, { state: { type: "CANCELLING" } });
});
afterAll(() => server?.close());

const mine = () => ({ flowNames: [flowName, otherFlow] });

async function readAll(filter: Record<string, unknown>, limit: number): Promise<FlowRun[]> {
  const all: FlowRun[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const res = await api.post("/api/flow-runs/filter", { ...filter, limit, cursor });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    all.push(...items<FlowRun>(res));
    cursor = (res.body as { nextCursor: string | null }).nextCursor ?? undefined;
    if (!cursor) return all;
  }
  throw new Error("pagination did not end");
}

const byStart = (a: FlowRun, b: FlowRun) =>
  a.expectedStartTime.localeCompare(b.expectedStartTime) || a.id.localeCompare(b.id);

describe("listing flow runs", () => {
  it("pages through every sort order without gaps or repeats", async () => {
    const desc = await readAll({ ...mine() }, 5);
    expect(desc.map((r) => r.id)).toEqual(
      [...runs]
        .sort(byStart)
        .reverse()
        .map((r) => r.id),
    );
    const asc = await readAll({ ...mine(), sort: "EXPECTED_START_TIME_ASC" }, 3);
    expect(asc.map((r) => r.id)).toEqual([...runs].sort(byStart).map((r) => r.id));
    const byName = await readAll({ ...mine(), sort: "NAME_ASC" }, 4);
    expect(byName.map((r) => r.name)).toEqual(runs.map((r) => r.name));
    for (const sort of ["CREATED_ASC", "CREATED_DESC"]) {
      const created = await readAll({ ...mine(), sort }, 7);
      expect(new Set(created.map((r) => r.id)).size).toBe(12);
    }
  });

  it("keeps its place when runs are added ahead of the cursor", async () => {
    const first = await api.post("/api/flow-runs/filter", { ...mine(), limit: 4 });
    await api.post("/api/flow-runs", {
      flowName,
      state: { type: "SCHEDULED", details: { scheduledTime: at(500) } },
      tags: ["late-comer"],
    });
    const rest = await readAll({ ...mine(), cursor: undefined }, 100);
    const second = await api.post("/api/flow-runs/filter", {
      ...mine(),
      limit: 100,
      cursor: (first.body as { nextCursor: string }).nextCursor,
    });
    const seen = [...items<FlowRun>(first), ...items<FlowRun>(second)].map((r) => r.id);
    expect(seen).toEqual(rest.filter((r) => !r.tags.includes("late-comer")).map((r) => r.id));
  });

  it("filters by flow, state, tags, time, ids and parent, and counts the same way", async () => {
    const cases: [Record<string, unknown>, (r: FlowRun) => boolean][] = [
      [{ flowNames: [otherFlow] }, (r) => r.flowName === otherFlow],
      [{ flowIds: [runs[3]!.flowId] }, (r) => r.flowName === otherFlow],
      [{ ...mine(), stateTypes: ["CANCELLED"] }, (r) => runs.slice(0, 3).some((c) => c.id === r.id)],
      [{ ...mine(), stateNames: ["Scheduled"] }, (r) => !runs.slice(0, 3).some((c) => c.id === r.id)],
      [{ ...mine(), tags: ["even", "all"] }, (r) => r.tags.includes("even")],
      [{ ...mine(), tags: ["even", "odd"] }, () => false],
      [
        { ...mine(), expectedStartTime: { after: at(2), before: at(3) } },
        (r) => r.expectedStartTime >= at(2) && r.expectedStartTime <= at(3),
      ],
      [{ ids: [runs[5]!.id, runs[6]!.id] }, (r) => r.id === runs[5]!.id || r.id === runs[6]!.id],
      [{ ...mine(), parentTaskRunId: null }, () => true],
      [{ ...mine(), parentTaskRunId: randomUUID() }, () => false],
      [{ ...mine(), stateTypes: [] }, () => false],
    ];
    const everything = await readAll({ ...mine() }, 1000);
    for (const [filter, predicate] of cases) {
      const expected = everything
        .filter(predicate)
        .map((r) => r.id)
        .sort();
      const got = (await readAll(filter, 1000)).map((r) => r.id).sort();
      expect(got, JSON.stringify(filter)).toEqual(expected);
      const count = await api.post("/api/flow-runs/count", filter);
      expect(count.body, JSON.stringify(filter)).toEqual({ count: expected.length });
    }
  });
});
