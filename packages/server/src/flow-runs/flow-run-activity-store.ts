import type { FlowRunHistory, StateCount, StateType } from "@sluice/contracts";
import { sql, type Kysely } from "kysely";
import type { Tables } from "../db/tables.js";
import { countRunsByState, countRunsInBuckets, sortCounts } from "../run-counts/run-state-counts.js";
import { bucketStart } from "../run-counts/window-pieces.js";

type Db = Kysely<Tables>;

/** A window [since, until) and what narrows the runs counted. */
export interface FlowRunWindow {
  readonly since: string;
  readonly until: string;
  readonly flowNames?: readonly string[] | undefined;
  readonly deploymentIds?: readonly string[] | undefined;
  readonly tags?: readonly string[] | undefined;
}

/**
 * Flow runs expected to start in the window, counted by state type and name. Without narrowing
 * this reads the hourly counters (run-counts/run-state-counts.ts): a 30-day window costs as little
 * as a day. Narrowed by flow, deployment or tags, it counts the window's runs through
 * flow_runs_window_state_idx (expected_start_time, state_type, state_name): its cost follows the
 * window, never the table.
 */
export async function countFlowRunsByState(db: Db, window: FlowRunWindow): Promise<StateCount[]> {
  if (!window.flowNames && !window.deploymentIds && !window.tags?.length) {
    return countRunsByState(db, "flow", window);
  }
  let q = db
    .selectFrom("flow_runs as fr")
    .select([
      sql<StateType>`fr.state_type`.as("stateType"),
      sql<string>`coalesce(fr.state_name, '')`.as("stateName"),
      sql<number>`count(*)::int`.as("count"),
    ])
    .where("fr.expected_start_time", ">=", new Date(window.since))
    .where("fr.expected_start_time", "<", new Date(window.until))
    .where("fr.state_type", "is not", null)
    .groupBy([sql`1`, sql`2`]);
  if (window.flowNames) {
    const flows = db
      .selectFrom("flows")
      .select("id")
      .where(sql<boolean>`name = any(${[...window.flowNames]}::text[])`);
    q = q.where("fr.flow_id", "in", flows);
  }
  if (window.deploymentIds) {
    q = q.where(sql<boolean>`fr.deployment_id = any(${[...window.deploymentIds]}::uuid[])`);
  }
  if (window.tags && window.tags.length > 0) {
    q = q.where(sql<boolean>`fr.tags @> ${JSON.stringify(window.tags)}::jsonb`);
  }
  return sortCounts(await q.execute());
}

/**
 * Flow runs per bucket by state type: the window cut into `buckets` equal buckets, each run placed
 * by its expected start time. Whole hours come from the hourly counters, partial ones from the runs.
 */
export async function readFlowRunHistory(
  db: Db,
  request: { since: string; until: string; buckets: number },
): Promise<FlowRunHistory> {
  const since = Date.parse(request.since);
  const until = Date.parse(request.until);
  const counts = await countRunsInBuckets(db, "flow", { since, until, buckets: request.buckets });
  const buckets = Array.from({ length: request.buckets }, (_, i) => ({
    start: new Date(bucketStart(since, until, request.buckets, i)).toISOString(),
    end: new Date(bucketStart(since, until, request.buckets, i + 1)).toISOString(),
    counts: [] as { stateType: StateType; count: number }[],
  }));
  for (const row of counts) {
    const bucket = buckets[row.bucket]!.counts;
    const same = bucket.find((c) => c.stateType === row.stateType);
    if (same) same.count += row.count;
    else bucket.push({ stateType: row.stateType, count: row.count });
  }
  for (const bucket of buckets) bucket.counts.sort((a, b) => a.stateType.localeCompare(b.stateType));
  return { since: new Date(since).toISOString(), until: new Date(until).toISOString(), buckets };
}
