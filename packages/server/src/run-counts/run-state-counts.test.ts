import { randomInt, randomUUID } from "node:crypto";
import type { FlowRun, StateType } from "@sluice/contracts";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server.js";
import { testHttp } from "../testing/test-http.js";
import { compactRunCounts } from "./compact-run-counts.js";
import { countRunsInBuckets, type BucketStateCount, type RunKind } from "./run-state-counts.js";
import { bucketStart, HOUR_MS } from "./window-pieces.js";

// Its own database: compaction and truncation act on every run in it.
let server: TestServer;
let api: ReturnType<typeof testHttp>;
const origin = Date.UTC(2001, 0, 1) + randomInt(0, 3650) * 86_400_000 + randomInt(0, 3600) * 1000;
const SPAN_MS = 3 * 24 * HOUR_MS;
const at = (ms: number) => new Date(origin + ms).toISOString();
const runs: FlowRun[] = [];

/** The same counts straight from the runs, row by row: what the counters must always agree with. */
async function countedRowByRow(
  kind: RunKind,
  window: { since: number; until: number; buckets: number },
): Promise<BucketStateCount[]> {
  const [table, time] = kind === "flow" ? ["flow_runs", "expected_start_time"] : ["task_runs", "created_at"];
  const { rows } = await sql<{ t: Date; stateType: StateType; stateName: string }>`
    select ${sql.ref(time)} as t, state_type as "stateType", state_name as "stateName"
    from ${sql.table(table)}
    where ${sql.ref(time)} >= ${new Date(window.since)} and ${sql.ref(time)} < ${new Date(window.until)}
      and state_type is not null`.execute(server.db.db);
  const edges = Array.from({ length: window.buckets + 1 }, (_, i) =>
    bucketStart(window.since, window.until, window.buckets, i),
  );
  const counts = new Map<string, BucketStateCount>();
  for (const row of rows) {
    const t = new Date(row.t).getTime();
    const bucket = edges.findIndex((edge, i) => t >= edge && t < edges[i + 1]!);
    const key = `${bucket} ${row.stateType} ${row.stateName}`;
    const count = (counts.get(key)?.count ?? 0) + 1;
    counts.set(key, { bucket, stateType: row.stateType, stateName: row.stateName, count });
  }
  return [...counts.values()];
}

const sorted = (rows: BucketStateCount[]) =>
  rows
    .map((r) => `${r.bucket} ${r.stateType}/${r.stateName} ${r.count}`)
    .sort()
    .join("\n");

/** Windows of every shape: on hours and off them, one bucket or many, shorter and longer than an hour. */
function windows(): { since: number; until: number; buckets: number }[] {
  const list = [
    {
      since: Math.ceil(origin / HOUR_MS) * HOUR_MS,
      until: Math.ceil(origin / HOUR_MS) * HOUR_MS + 2 * 24 * HOUR_MS,
      buckets: 8,
    },
    { since: origin, until: origin + SPAN_MS, buckets: 1 },
    { since: origin + 600_000, until: origin + 3_000_000, buckets: 5 },
  ];
  for (let i = 0; i < 12; i++) {
    const since = origin + randomInt(0, SPAN_MS / 2);
    list.push({ since, until: since + randomInt(60_000, SPAN_MS / 2), buckets: randomInt(1, 40) });
  }
  return list;
}

async function expectCountersAgree(): Promise<void> {
  for (const window of windows()) {
    for (const kind of ["flow", "task"] as const) {
      const expected = sorted(await countedRowByRow(kind, window));
      expect(
        sorted(await countRunsInBuckets(server.db.db, kind, window)),
        JSON.stringify({ kind, window }),
      ).toBe(expected);
    }
  }
}

beforeAll(async () => {
  server = await startTestServer({ ownDatabase: true });
  api = testHttp(server.url);
  const flowName = `counts-${randomUUID().slice(0, 8)}`;
  for (let i = 0; i < 40; i++) {
    const res = await api.post("/api/flow-runs", {
      flowName,
      state: { type: "SCHEDULED", details: { scheduledTime: at(randomInt(0, SPAN_MS)) } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    runs.push(res.body as FlowRun);
  }
  for (const run of runs.slice(0, 30)) {
    await api.post(`/api/flow-runs/${run.id}/set-state`, { state: { type: "RUNNING" } });
  }
  for (const [i, run] of runs.slice(0, 20).entries()) {
    await api.post(`/api/flow-runs/${run.id}/set-state`, { state: { type: i % 4 ? "COMPLETED" : "FAILED" } });
  }
  const taskRuns = Array.from({ length: 300 }, (_, i) => ({
    id: randomUUID(),
    flowRunId: runs[i % runs.length]!.id,
    taskKey: "t",
    name: "t",
    dynamicKey: String(i),
    createdAt: at(randomInt(0, SPAN_MS)),
  }));
  const state = (taskRunId: string, type: "RUNNING" | "COMPLETED" | "FAILED", name: string) => ({
    taskRunId,
    state: { id: randomUUID(), type, name, timestamp: at(SPAN_MS), message: null, details: {}, result: null },
  });
  const first = await api.post("/api/task-runs/batch", {
    taskRuns,
    states: taskRuns.map((t) => state(t.id, "RUNNING", "Running")),
  });
  expect(first.status, JSON.stringify(first.body)).toBe(200);
  const second = await api.post("/api/task-runs/batch", {
    taskRuns: [],
    states: taskRuns
      .slice(0, 200)
      .map((t, i) => state(t.id, i % 5 ? "COMPLETED" : "FAILED", i % 5 ? "Completed" : "Failed")),
  });
  expect(second.status, JSON.stringify(second.body)).toBe(200);
});
afterAll(() => server?.close());

describe("hourly run counters", () => {
  it("agree with counting the runs, from pending deltas alone", async () => {
    await expectCountersAgree();
  });

  it("agree after the deltas are folded in, and keep no counter that came to zero", async () => {
    const report = await compactRunCounts(server.db.db);
    expect(report.folded).toBeGreaterThan(0);
    const { rows } = await sql<{ deltas: number; zeros: number }>`
      select (select count(*)::int from run_state_count_deltas) as deltas,
        (select count(*)::int from run_state_counts where count = 0) as zeros`.execute(server.db.db);
    expect(rows[0]).toEqual({ deltas: 0, zeros: 0 });
    await expectCountersAgree();
  });

  it("follow state changes, moved start times and deleted runs, folded or not", async () => {
    for (const run of runs.slice(20, 25)) {
      await api.post(`/api/flow-runs/${run.id}/set-state`, { state: { type: "COMPLETED" } });
    }
    // No route moves a run's expected start time today; the triggers cover any writer, so move some here.
    await sql`update flow_runs set expected_start_time = expected_start_time + interval '5 hours'
      where id = any(${runs.slice(30, 33).map((r) => r.id)}::uuid[])`.execute(server.db.db);
    // Deleting a flow run deletes its task runs too (a cascade the counters must see).
    for (const run of runs.slice(35, 40))
      expect((await api.delete(`/api/flow-runs/${run.id}`)).status).toBe(200);
    await expectCountersAgree();
    await compactRunCounts(server.db.db);
    await expectCountersAgree();
  });

  it("are emptied when the runs are truncated", async () => {
    await sql`truncate task_runs cascade`.execute(server.db.db);
    const window = { since: origin, until: origin + SPAN_MS, buckets: 3 };
    expect(await countRunsInBuckets(server.db.db, "task", window)).toEqual([]);
    expect((await countRunsInBuckets(server.db.db, "flow", window)).length).toBeGreaterThan(0);
  });
});
