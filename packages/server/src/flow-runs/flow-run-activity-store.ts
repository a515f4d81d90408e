import type { FlowRunHistory, StateCount, StateType } from "@sluice/contracts";
import { sql, type Kysely } from "kysely";
import type { Tables } from "../db/tables.js";

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
 * Flow runs expected to start in the window, counted by state type and name. Without narrowing this
 * is an index-only scan of flow_runs_window_state_idx (expected_start_time, state_type, state_name)
 * over the window's rows: its cost follows the window, never the table.
 */
export async function countFlowRunsByState(db: Db, window: FlowRunWindow): Promise<StateCount[]> {
  let q = db
    .selectFrom("flow_runs as fr")
    .select([
      sql<StateType>`fr.state_type`.as("stateType"),
      sql<string>`fr.state_name`.as("stateName"),
      sql<number>`count(*)::int`.as("count"),
    ])
    .where("fr.expected_start_time", ">=", new Date(window.since))
    .where("fr.expected_start_time", "<", new Date(window.until))
    .where("fr.state_type", "is not", null)
    .groupBy(["fr.state_type", "fr.state_name"])
    .orderBy(sql`count(*)`, "desc")
    .orderBy("fr.state_type")
    .orderBy("fr.state_name");
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
  return q.execute();
}

/**
 * Flow runs per bucket by state type: the window cut into `buckets` equal buckets, each run placed
 * by its expected start time. Reads the same index as countFlowRunsByState, once.
 */
export async function readFlowRunHistory(
  db: Db,
  request: { since: string; until: string; buckets: number },
): Promise<FlowRunHistory> {
  const since = new Date(request.since);
  const until = new Date(request.until);
  const bucketMs = (until.getTime() - since.getTime()) / request.buckets;
  const rows = await db
    .selectFrom("flow_runs")
    .select([
      sql<number>`least(floor(extract(epoch from (expected_start_time - ${since}::timestamptz)) * 1000 / ${bucketMs}::float8)::int, ${request.buckets - 1}::int)`.as(
        "bucket",
      ),
      sql<StateType>`state_type`.as("stateType"),
      sql<number>`count(*)::int`.as("count"),
    ])
    .where("expected_start_time", ">=", since)
    .where("expected_start_time", "<", until)
    .where("state_type", "is not", null)
    .groupBy([sql`1`, "state_type"])
    .execute();
  const buckets = Array.from({ length: request.buckets }, (_, i) => ({
    start: new Date(since.getTime() + i * bucketMs).toISOString(),
    end: new Date(
      i === request.buckets - 1 ? until.getTime() : since.getTime() + (i + 1) * bucketMs,
    ).toISOString(),
    counts: [] as { stateType: StateType; count: number }[],
  }));
  for (const row of rows) buckets[row.bucket]?.counts.push({ stateType: row.stateType, count: row.count });
  for (const bucket of buckets) bucket.counts.sort((a, b) => a.stateType.localeCompare(b.stateType));
  return { since: since.toISOString(), until: until.toISOString(), buckets };
}
