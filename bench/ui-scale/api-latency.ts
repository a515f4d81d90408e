/** Latency of the API calls the dashboard and the runs page make, on a seeded database. */
import pg from "pg";
import {
  windowBounds,
  type ActivityWindowKey,
} from "../../packages/ui/src/pages/dashboard/activity-window.js";

export interface ApiCallFigures {
  readonly page: "dashboard" | "runs";
  readonly call: string;
  readonly calls: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  readonly items: number;
}

interface ApiCall {
  readonly page: ApiCallFigures["page"];
  readonly call: string;
  readonly path: string;
  readonly body: unknown;
}

function cursorOf(sort: string, value: Date, id: string): string {
  return Buffer.from(JSON.stringify([sort, value.toISOString(), id])).toString("base64url");
}

/** A cursor resuming half-way through the runs matching `where` (a deep page), newest first. */
async function deepCursor(db: pg.Client, where: string): Promise<string> {
  const { rows } = await db.query<{ t: Date; id: string }>(
    `select expected_start_time as t, id from flow_runs where ${where}
     order by expected_start_time desc, id desc offset (select count(*) / 2 from flow_runs where ${where}) limit 1`,
  );
  const row = rows[0];
  if (!row) throw new Error(`no flow run matches ${where}`);
  return cursorOf("EXPECTED_START_TIME_DESC", row.t, row.id);
}

function windowOf(days: number, now: Date) {
  return { since: new Date(now.getTime() - days * 86_400_000).toISOString(), until: now.toISOString() };
}

/** The calls, as the UI makes them (pages/Dashboard.tsx, pages/FlowRuns.tsx). */
async function plannedCalls(db: pg.Client, now: Date): Promise<ApiCall[]> {
  const dashboard = (call: string, path: string, body: unknown): ApiCall => ({
    page: "dashboard",
    call,
    path,
    body,
  });
  const runs = (call: string, body: unknown, path = "/api/flow-runs/filter"): ApiCall => ({
    page: "runs",
    call,
    path,
    body,
  });
  const calls: ApiCall[] = [];
  // The dashboard's windows end on a bucket edge (activity-window.ts), so they fall on hours.
  for (const [label, key] of [
    ["24 h", "24h"],
    ["7 d", "7d"],
    ["30 d", "30d"],
  ] as const satisfies readonly (readonly [string, ActivityWindowKey])[]) {
    const { buckets, ...window } = windowBounds(key, now.getTime());
    calls.push(
      dashboard(`history, ${label}`, "/api/flow-runs/history", { ...window, buckets }),
      dashboard(`flow-run counts by state, ${label}`, "/api/flow-runs/count-by-state", window),
      dashboard(`task-run counts by state, ${label}`, "/api/task-runs/count-by-state", window),
    );
  }
  // Any other window (an API caller's, ending now): its partial hours are counted row by row.
  const offHour = windowOf(30, now);
  calls.push(
    dashboard("history, 30 d ending now", "/api/flow-runs/history", { ...offHour, buckets: 30 }),
    dashboard("task-run counts by state, 30 d ending now", "/api/task-runs/count-by-state", offHour),
  );
  const day = windowOf(1, now);
  calls.push(
    dashboard("late runs", "/api/flow-runs/filter", { stateNames: ["Late"], limit: 10 }),
    dashboard("crashed runs, 24 h", "/api/flow-runs/filter", {
      stateTypes: ["CRASHED"],
      expectedStartTime: { after: day.since },
      limit: 10,
    }),
    dashboard("work pools", "/api/work-pools/filter", { limit: 100 }),
    dashboard("workers", "/api/workers/filter", { limit: 200 }),
  );
  const { rows: ids } = await db.query<{ flow: string; deployment: string }>(
    `select (select deployment_id from flow_runs where deployment_id is not null limit 1) as deployment, 'etl-orders' as flow`,
  );
  const deployment = ids[0]!.deployment;
  calls.push(
    runs("flows for the filter", { limit: 200 }, "/api/flows/filter"),
    runs("deployments for the filter", { limit: 200 }, "/api/deployments/filter"),
    runs("first page", { limit: 25 }),
    runs("first page, state FAILED", { limit: 25, stateTypes: ["FAILED"] }),
    runs("first page, flow", { limit: 25, flowNames: ["etl-orders"] }),
    runs("first page, flow + state CRASHED", {
      limit: 25,
      flowNames: ["etl-orders"],
      stateTypes: ["CRASHED"],
    }),
    runs("first page, deployment", { limit: 25, deploymentIds: [deployment] }),
    runs("first page, tags all [prod, etl]", { limit: 25, tags: ["prod", "etl"] }),
    runs("first page, tags any [ml, nightly]", { limit: 25, anyTags: ["ml", "nightly"] }),
    runs("first page, time range (a day, 10 days ago)", {
      limit: 25,
      expectedStartTime: { after: windowOf(11, now).since, before: windowOf(10, now).since },
    }),
    runs("deep page (half-way)", { limit: 25, cursor: await deepCursor(db, "true") }),
    runs("deep page, state FAILED", {
      limit: 25,
      stateTypes: ["FAILED"],
      cursor: await deepCursor(db, "state_type = 'FAILED'"),
    }),
  );
  return calls;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Calls each planned request `repeat` times in turn (after 3 warm-ups) and reports p50/p95/max. */
export async function measureApiCalls(
  baseUrl: string,
  databaseUrl: string,
  repeat: number,
  now = new Date(),
): Promise<ApiCallFigures[]> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const calls = await plannedCalls(db, now).finally(() => db.end());
  const figures: ApiCallFigures[] = [];
  for (const call of calls) {
    const times: number[] = [];
    let items = 0;
    const started = performance.now();
    // A call that takes seconds is measured for about 20 s (at least 5 calls), not 50 times.
    for (let i = 0; i < repeat + 3 && (times.length < 5 || performance.now() - started < 20_000); i += 1) {
      const sent = performance.now();
      const res = await fetch(baseUrl + call.path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(call.body),
      });
      const body = (await res.json()) as { items?: unknown[]; buckets?: unknown[] };
      const ms = performance.now() - sent;
      if (!res.ok)
        throw new Error(`${call.call}: ${call.path} answered ${res.status}: ${JSON.stringify(body)}`);
      if (i >= 3) times.push(ms);
      items = (body.items ?? body.buckets ?? []).length;
    }
    times.sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 10) / 10;
    figures.push({
      page: call.page,
      call: call.call,
      calls: times.length,
      p50Ms: round(percentile(times, 50)),
      p95Ms: round(percentile(times, 95)),
      maxMs: round(times[times.length - 1] ?? 0),
      items,
    });
    console.error(
      `[bench] ui-scale api: ${call.call}: p50 ${figures.at(-1)!.p50Ms} ms, p95 ${figures.at(-1)!.p95Ms} ms`,
    );
  }
  return figures;
}
