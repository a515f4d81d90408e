import type { StateCount, StateType } from "@sluice/contracts";
import { sql, type Kysely } from "kysely";
import type { Tables } from "../db/tables.js";
import { countRunsByState, sortCounts } from "../run-counts/run-state-counts.js";

/**
 * Task runs created in [since, until), counted by state type and name. Without narrowing this
 * reads the hourly counters (run-counts/run-state-counts.ts); narrowed to some flow runs, it counts
 * their task runs through task_runs_flow_run_id_idx.
 */
export async function countTaskRunsByState(
  db: Kysely<Tables>,
  window: { since: string; until: string; flowRunIds?: readonly string[] | undefined },
): Promise<StateCount[]> {
  if (!window.flowRunIds) return countRunsByState(db, "task", window);
  const rows = await db
    .selectFrom("task_runs")
    .select([
      sql<StateType>`state_type`.as("stateType"),
      sql<string>`coalesce(state_name, '')`.as("stateName"),
      sql<number>`count(*)::int`.as("count"),
    ])
    .where("created_at", ">=", new Date(window.since))
    .where("created_at", "<", new Date(window.until))
    .where("state_type", "is not", null)
    .where(sql<boolean>`flow_run_id = any(${[...window.flowRunIds]}::uuid[])`)
    .groupBy([sql`1`, sql`2`])
    .execute();
  return sortCounts(rows);
}
