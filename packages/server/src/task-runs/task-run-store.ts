import type { State, TaskRun, TaskRunFilter } from "@sluice/contracts";
import { sql, type Kysely } from "kysely";
import { applyKeyset, byName, toPage, type SortOrder } from "../db/keyset.js";
import type { Tables } from "../db/tables.js";
import { toState } from "../states/state-rows.js";
import { toTaskRun, type TaskRunJoinedRow } from "./task-run-rows.js";

type Db = Kysely<Tables>;
type Sort = NonNullable<TaskRunFilter["sort"]>;

const SORTS: Record<Sort, SortOrder> = {
  CREATED_ASC: {
    name: "CREATED_ASC",
    column: "tr.created_at",
    idColumn: "tr.id",
    direction: "asc",
    kind: "timestamp",
  },
  CREATED_DESC: {
    name: "CREATED_DESC",
    column: "tr.created_at",
    idColumn: "tr.id",
    direction: "desc",
    kind: "timestamp",
  },
  NAME_ASC: byName("tr"),
};

/** A subquery of the ids of a flow run's task runs (for subflow lookups). */
export function taskRunIdsOfFlowRun(db: Db, flowRunId: string) {
  return db.selectFrom("task_runs").select("id").where("flow_run_id", "=", flowRunId);
}

function selectTaskRuns(db: Db) {
  return db
    .selectFrom("task_runs as tr")
    .leftJoin("task_run_states as s", "s.id", "tr.state_id")
    .selectAll("tr")
    .select([
      "s.type as s_type",
      "s.name as s_name",
      "s.timestamp as s_timestamp",
      "s.message as s_message",
      "s.details as s_details",
      "s.result as s_result",
    ]);
}

/** The task run with this id, or undefined. */
export async function findTaskRun(db: Db, id: string): Promise<TaskRun | undefined> {
  const row = await selectTaskRuns(db).where("tr.id", "=", id).executeTakeFirst();
  return row && toTaskRun(row);
}

/** A task run's state history, oldest first. */
export async function listTaskRunStates(db: Db, taskRunId: string): Promise<State[]> {
  const rows = await db
    .selectFrom("task_run_states")
    .selectAll()
    .where("task_run_id", "=", taskRunId)
    .orderBy("timestamp")
    .orderBy("id")
    .execute();
  return rows.map(toState);
}

/** The flow run of each of these task runs that exists (ids naming no task run are absent). */
export async function findFlowRunsOfTaskRuns(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom("task_runs")
    .select(["id", "flow_run_id"])
    .where(sql<boolean>`id = any(${[...ids]}::uuid[])`)
    .execute();
  return new Map(rows.map((r) => [r.id, r.flow_run_id]));
}

/** All task runs of a flow run, oldest first (for the graph). */
export async function listTaskRunsOfFlowRun(db: Db, flowRunId: string): Promise<TaskRun[]> {
  const rows = await selectTaskRuns(db)
    .where("tr.flow_run_id", "=", flowRunId)
    .orderBy("tr.created_at")
    .orderBy("tr.id")
    .execute();
  return rows.map((row) => toTaskRun(row as TaskRunJoinedRow));
}

/** A page of task runs matching the filter. */
export async function listTaskRuns(db: Db, filter: TaskRunFilter & { limit: number; sort: Sort }) {
  const sort = SORTS[filter.sort];
  let q = selectTaskRuns(db);
  if (filter.flowRunIds) q = q.where(sql<boolean>`tr.flow_run_id = any(${filter.flowRunIds}::uuid[])`);
  if (filter.stateTypes) q = q.where(sql<boolean>`tr.state_type = any(${filter.stateTypes}::text[])`);
  if (filter.stateNames) q = q.where(sql<boolean>`tr.state_name = any(${filter.stateNames}::text[])`);
  if (filter.taskKeys) q = q.where(sql<boolean>`tr.task_key = any(${filter.taskKeys}::text[])`);
  if (filter.tags && filter.tags.length > 0)
    q = q.where(sql<boolean>`tr.tags @> ${JSON.stringify(filter.tags)}::jsonb`);
  if (filter.startTime?.after) q = q.where("tr.start_time", ">=", new Date(filter.startTime.after));
  if (filter.startTime?.before) q = q.where("tr.start_time", "<=", new Date(filter.startTime.before));
  const rows = await applyKeyset(q, sort, filter.cursor, filter.limit).execute();
  return toPage(
    rows,
    filter.limit,
    sort,
    (row) => (sort.kind === "text" ? row.name : row.created_at),
    (row) => row.id,
    (row) => toTaskRun(row as TaskRunJoinedRow),
  );
}
