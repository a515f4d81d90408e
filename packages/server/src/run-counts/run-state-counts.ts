import type { StateCount, StateType } from "@sluice/contracts";
import { sql, type Kysely } from "kysely";
import type { Tables } from "../db/tables.js";
import { hourToBucket, splitWindow, type BucketRange } from "./window-pieces.js";

type Db = Kysely<Tables>;

/** Which runs are counted: flow runs placed by expected start time, task runs by creation. */
export type RunKind = "flow" | "task";

const RUNS = {
  flow: { table: "flow_runs", time: "expected_start_time" },
  task: { table: "task_runs", time: "created_at" },
} as const;

/** How many runs of one bucket are in one state. */
export interface BucketStateCount {
  readonly bucket: number;
  readonly stateType: StateType;
  readonly stateName: string;
  readonly count: number;
}

/**
 * Runs in [since, until) cut into `buckets` equal buckets, counted by state type and name (zero
 * counts left out). Whole hours come from the hourly counters that migration 0007's triggers keep
 * (a few rows per hour, whatever the number of runs); the partial hours at a bucket's ends are
 * counted from the runs through the (time, state) indexes of migration 0006. Both are exact.
 */
export async function countRunsInBuckets(
  db: Db,
  kind: RunKind,
  window: { since: number; until: number; buckets: number },
): Promise<BucketStateCount[]> {
  const pieces = splitWindow(window.since, window.until, window.buckets);
  const [fromHours, fromRuns] = await Promise.all([
    readHourCounters(db, kind, pieces.hours),
    countRunsInRanges(db, kind, pieces.exact),
  ]);
  const sums = new Map<string, BucketStateCount>();
  for (const row of [...fromHours, ...fromRuns]) {
    const key = `${row.bucket}\u0000${row.stateType}\u0000${row.stateName}`;
    const count = (sums.get(key)?.count ?? 0) + row.count;
    sums.set(key, { ...row, count });
  }
  return [...sums.values()].filter((row) => row.count !== 0);
}

/**
 * Runs of `kind` in [since, until) (ISO timestamps) by state type and name, largest first: the
 * unnarrowed count-by-state answer of flow runs and task runs alike.
 */
export async function countRunsByState(
  db: Db,
  kind: RunKind,
  window: { since: string; until: string },
): Promise<StateCount[]> {
  const counts = await countRunsInBuckets(db, kind, {
    since: Date.parse(window.since),
    until: Date.parse(window.until),
    buckets: 1,
  });
  return sortCounts(counts.map(({ stateType, stateName, count }) => ({ stateType, stateName, count })));
}

/**
 * Counter rows of the hours in `ranges`, plus the deltas not yet folded into them, in one
 * statement: a compaction committing meanwhile moves deltas into counters atomically, and one
 * snapshot sees either side of it, never both.
 */
async function readHourCounters(
  db: Db,
  kind: RunKind,
  ranges: readonly BucketRange[],
): Promise<BucketStateCount[]> {
  if (ranges.length === 0) return [];
  const from = new Date(ranges[0]!.from);
  const to = new Date(ranges.at(-1)!.to);
  const { rows } = await sql<{ hour: Date; stateType: StateType; stateName: string; count: number }>`
    select hour, state_type as "stateType", state_name as "stateName", sum(n)::bigint::float8 as count
    from (
      select hour, state_type, state_name, count as n from run_state_counts
        where run_kind = ${kind} and hour >= ${from} and hour < ${to}
      union all
      select hour, state_type, state_name, delta from run_state_count_deltas
        where run_kind = ${kind} and hour >= ${from} and hour < ${to}
    ) c
    group by 1, 2, 3`.execute(db);
  const bucketOf = hourToBucket(ranges);
  const counts: BucketStateCount[] = [];
  for (const row of rows) {
    // An hour between two buckets' whole hours straddles a bucket edge: counted from the runs.
    const bucket = bucketOf(new Date(row.hour).getTime());
    if (bucket !== undefined)
      counts.push({ bucket, stateType: row.stateType, stateName: row.stateName, count: row.count });
  }
  return counts;
}

/** Runs in each range, by state: one index-only range scan per range. */
async function countRunsInRanges(
  db: Db,
  kind: RunKind,
  ranges: readonly BucketRange[],
): Promise<BucketStateCount[]> {
  if (ranges.length === 0) return [];
  const { table, time } = RUNS[kind];
  const { rows } = await sql<BucketStateCount>`
    select r.bucket, c.state_type as "stateType", c.state_name as "stateName", c.count
    from unnest(
      ${ranges.map((r) => r.bucket)}::int[],
      ${ranges.map((r) => new Date(r.from).toISOString())}::timestamptz[],
      ${ranges.map((r) => new Date(r.to).toISOString())}::timestamptz[]
    ) as r(bucket, lo, hi)
    cross join lateral (
      select state_type, coalesce(state_name, '') as state_name, count(*)::int as count
      from ${sql.table(table)}
      where ${sql.ref(time)} >= r.lo and ${sql.ref(time)} < r.hi and state_type is not null
      group by 1, 2
    ) c`.execute(db);
  return rows;
}

/** Largest first, then by state type and name: the order every count-by-state answer has. */
export function sortCounts(counts: StateCount[]): StateCount[] {
  return counts.sort(
    (a, b) =>
      b.count - a.count || a.stateType.localeCompare(b.stateType) || a.stateName.localeCompare(b.stateName),
  );
}
