import type { StateCount, StateType } from "@sluice/contracts";
import { sql, type Kysely } from "kysely";
import type { Tables } from "../db/tables.js";

/**
 * Task runs created in [since, until), counted by state type and name: an index-only scan of
 * task_runs_window_state_idx (created_at, state_type, state_name) over the window's rows.
 */
export async function countTaskRunsByState(
  db: Kysely<Tables>,
  window: { since: string; until: string; flowRunIds?: readonly string[] | undefined },
): Promise<StateCount[]> {
  let q = db
    .selectFrom("task_runs")
    .select([
      sql<StateType>`state_type`.as("stateType"),
      sql<string>`state_name`.as("stateName"),
      sql<number>`count(*)::int`.as("count"),
    ])
    .where("created_at", ">=", new Date(window.since))
    .where("created_at", "<", new Date(window.until))
    .where("state_type", "is not", null)
    .groupBy(["state_type", "state_name"])
    .orderBy(sql`count(*)`, "desc")
    .orderBy("state_type")
    .orderBy("state_name");
  if (window.flowRunIds) q = q.where(sql<boolean>`flow_run_id = any(${[...window.flowRunIds]}::uuid[])`);
  return q.execute();
}
