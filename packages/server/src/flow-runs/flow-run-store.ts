import type { FlowRun, FlowRunFilter, FlowRunSort, State } from "@sluice/contracts";
import { sql, type Insertable, type Kysely, type SelectQueryBuilder, type Updateable } from "kysely";
import { applyKeyset, toPage, type SortOrder } from "../db/keyset.js";
import type { FlowRunsTable, Tables } from "../db/tables.js";
import { toState, toStateColumns } from "../states/state-rows.js";
import { toFlowRun, type FlowRunJoinedRow } from "./flow-run-rows.js";
import { taskRunIdsOfFlowRun } from "../task-runs/task-run-store.js";

type Db = Kysely<Tables>;
type Updates = Updateable<FlowRunsTable>;

const order = (name: FlowRunSort, column: string, direction: "asc" | "desc", kind: SortOrder["kind"]) =>
  ({ name, column: `fr.${column}`, idColumn: "fr.id", direction, kind }) satisfies SortOrder;

const SORTS: Record<FlowRunSort, SortOrder> = {
  EXPECTED_START_TIME_DESC: order("EXPECTED_START_TIME_DESC", "expected_start_time", "desc", "timestamp"),
  EXPECTED_START_TIME_ASC: order("EXPECTED_START_TIME_ASC", "expected_start_time", "asc", "timestamp"),
  CREATED_DESC: order("CREATED_DESC", "created_at", "desc", "timestamp"),
  CREATED_ASC: order("CREATED_ASC", "created_at", "asc", "timestamp"),
  NAME_ASC: order("NAME_ASC", "name", "asc", "text"),
};

const STATE_COLUMNS = [
  "id",
  "flow_run_id",
  "type",
  "name",
  "timestamp",
  "message",
  "details",
  "result",
] as const;

/** A state's columns as literals, selected next to `run.id` (the run a data-modifying CTE wrote). */
function stateSelection(state: State) {
  const c = toStateColumns(state);
  return [
    sql<string>`${c.id}::uuid`.as("id"),
    sql<string>`run.id`.as("flow_run_id"),
    sql<string>`${c.type}`.as("type"),
    sql<string>`${c.name}`.as("name"),
    sql<string>`${c.timestamp}::timestamptz`.as("timestamp"),
    sql<string | null>`${c.message}::text`.as("message"),
    sql<string>`${c.details}::jsonb`.as("details"),
    sql<string | null>`${c.result}::jsonb`.as("result"),
  ];
}

/** A flow run row joined with its flow's name and current state. */
function selectFlowRuns(db: Db) {
  return db
    .selectFrom("flow_runs as fr")
    .innerJoin("flows as f", "f.id", "fr.flow_id")
    .leftJoin("flow_run_states as s", "s.id", "fr.state_id")
    .selectAll("fr")
    .select([
      "f.name as flow_name",
      "s.type as s_type",
      "s.name as s_name",
      "s.timestamp as s_timestamp",
      "s.message as s_message",
      "s.details as s_details",
      "s.result as s_result",
    ]);
}

type JoinedRow = FlowRunJoinedRow;

/**
 * Inserts a flow run and its first state in ONE statement (no transaction round trips); answers the
 * stored row, or undefined when its id or (flow, idempotency key) already exists.
 */
export async function insertFlowRunWithState(db: Db, run: InsertableFlowRun, state: State) {
  return db
    .with("run", (qb) =>
      qb
        .insertInto("flow_runs")
        .values(run)
        .onConflict((oc) => oc.doNothing())
        .returningAll(),
    )
    .with("state", (qb) =>
      qb
        .insertInto("flow_run_states")
        .columns(STATE_COLUMNS)
        .expression((eb) => eb.selectFrom("run").select(stateSelection(state))),
    )
    .selectFrom("run")
    .selectAll()
    .executeTakeFirst();
}

/**
 * Makes `state` the run's current state and appends it to the history, in one statement, but only
 * if the run's current state is still `expectedStateId`; false when another state got there first.
 */
export async function recordFlowRunState(
  db: Db,
  flowRunId: string,
  expectedStateId: string | null,
  state: State,
  updates: Updates,
): Promise<boolean> {
  const result = await db
    .with("run", (qb) =>
      qb
        .updateTable("flow_runs")
        .set(updates)
        .where("id", "=", flowRunId)
        .where(sql<boolean>`state_id is not distinct from ${expectedStateId}::uuid`)
        .returning("id"),
    )
    .insertInto("flow_run_states")
    .columns(STATE_COLUMNS)
    .expression((eb) => eb.selectFrom("run").select(stateSelection(state)))
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** A new flow run row. */
export type InsertableFlowRun = Insertable<FlowRunsTable>;

/** The flow run with this id, or undefined. */
export async function findFlowRun(db: Db, id: string): Promise<FlowRun | undefined> {
  const row = await selectFlowRuns(db).where("fr.id", "=", id).executeTakeFirst();
  return row && toFlowRun(row);
}

/** The flow run created for this flow with this idempotency key, or undefined. */
export async function findFlowRunByIdempotencyKey(
  db: Db,
  flowId: string,
  key: string,
): Promise<FlowRun | undefined> {
  const row = await selectFlowRuns(db)
    .where("fr.flow_id", "=", flowId)
    .where("fr.idempotency_key", "=", key)
    .executeTakeFirst();
  return row && toFlowRun(row);
}

/** Appends a state to a flow run's history. */
export async function insertFlowRunState(db: Db, flowRunId: string, state: State): Promise<void> {
  await db
    .insertInto("flow_run_states")
    .values({ ...toStateColumns(state), flow_run_id: flowRunId })
    .execute();
}

/** Updates columns of a flow run. */
export async function updateFlowRun(db: Db, id: string, updates: Updates): Promise<void> {
  await db.updateTable("flow_runs").set(updates).where("id", "=", id).execute();
}

/** Records a heartbeat; false when the run does not exist. */
export async function touchHeartbeat(db: Db, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable("flow_runs")
    .set({ last_heartbeat_at: now })
    .where("id", "=", id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Deletes a flow run; its states, task runs, logs and artifacts go with it (foreign keys cascade). */
export async function deleteFlowRun(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom("flow_runs").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** A flow run's state history, oldest first. */
export async function listFlowRunStates(db: Db, flowRunId: string): Promise<State[]> {
  const rows = await db
    .selectFrom("flow_run_states")
    .selectAll()
    .where("flow_run_id", "=", flowRunId)
    .orderBy("timestamp")
    .orderBy("id")
    .execute();
  return rows.map(toState);
}

/** The ids among `ids` that name no flow run. */
export async function findMissingFlowRunIds(db: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("flow_runs")
    .select("id")
    .where(sql<boolean>`id = any(${[...ids]}::uuid[])`)
    .execute();
  const existing = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !existing.has(id));
}

/** Flow runs called from any of this flow run's task runs (its subflow runs). */
export async function listChildFlowRuns(db: Db, flowRunId: string): Promise<FlowRun[]> {
  const rows = await selectFlowRuns(db)
    .where("fr.parent_task_run_id", "in", taskRunIdsOfFlowRun(db, flowRunId))
    .orderBy("fr.created_at")
    .orderBy("fr.id")
    .execute();
  return rows.map(toFlowRun);
}

type Filter = FlowRunFilter & { limit: number; sort: FlowRunSort };

/** A page of flow runs matching the filter, in a stable order. */
export async function listFlowRuns(db: Db, filter: Filter) {
  const sort = SORTS[filter.sort];
  const rows = await applyKeyset(
    applyFilter(db, selectFlowRuns(db), filter),
    sort,
    filter.cursor,
    filter.limit,
  ).execute();
  const value = (row: JoinedRow): Date | string =>
    ({ expected_start_time: row.expected_start_time, created_at: row.created_at, name: row.name })[
      sort.column.slice(3) as "name"
    ];
  return toPage(rows, filter.limit, sort, value, (row) => row.id, toFlowRun);
}

/** How many flow runs match the filter. */
export async function countFlowRuns(db: Db, filter: FlowRunFilter): Promise<number> {
  const base = db.selectFrom("flow_runs as fr").innerJoin("flows as f", "f.id", "fr.flow_id");
  const row = await applyFilter(db, base, filter)
    .select(sql<number>`count(*)::int`.as("count"))
    .executeTakeFirstOrThrow();
  return row.count;
}

type FlowRunScope = "fr" | "f";

function applyFilter<O>(
  db: Db,
  query: SelectQueryBuilder<Tables & { fr: Tables["flow_runs"]; f: Tables["flows"] }, FlowRunScope, O>,
  filter: FlowRunFilter,
) {
  let q = query;
  const anyOf = (column: string, values: readonly string[] | undefined, type: "uuid" | "text") => {
    if (values) q = q.where(sql<boolean>`${sql.ref(column)} = any(${[...values]}::${sql.raw(type)}[])`);
  };
  anyOf("fr.id", filter.ids, "uuid");
  anyOf("fr.flow_id", filter.flowIds, "uuid");
  if (filter.flowNames) {
    // By flow id, so the planner can walk flow_runs_flow_id_idx instead of joining every run to its flow.
    const ids = db
      .selectFrom("flows")
      .select("id")
      .where(sql<boolean>`name = any(${filter.flowNames}::text[])`);
    q = q.where("fr.flow_id", "in", ids);
  }
  anyOf("fr.state_type", filter.stateTypes, "text");
  anyOf("fr.state_name", filter.stateNames, "text");
  anyOf("fr.deployment_id", filter.deploymentIds, "uuid");
  anyOf("fr.work_pool_name", filter.workPoolNames, "text");
  anyOf("fr.work_queue_name", filter.workQueueNames, "text");
  if (filter.tags && filter.tags.length > 0) {
    q = q.where(sql<boolean>`fr.tags @> ${JSON.stringify(filter.tags)}::jsonb`);
  }
  if (filter.anyTags && filter.anyTags.length > 0) {
    // One containment test per tag, OR-ed: each is answered by the GIN index (jsonb_path_ops has no ?|).
    const tests = filter.anyTags.map((tag) => sql<boolean>`fr.tags @> ${JSON.stringify([tag])}::jsonb`);
    q = q.where(sql<boolean>`(${sql.join(tests, sql` or `)})`);
  }
  if (filter.parentTaskRunId === null) q = q.where("fr.parent_task_run_id", "is", null);
  if (filter.parentTaskRunId) q = q.where("fr.parent_task_run_id", "=", filter.parentTaskRunId);
  if (filter.parentFlowRunId) {
    q = q.where("fr.parent_task_run_id", "in", taskRunIdsOfFlowRun(db, filter.parentFlowRunId));
  }
  const range = (
    column: "fr.expected_start_time" | "fr.start_time",
    r?: { after?: string; before?: string },
  ) => {
    if (r?.after) q = q.where(column, ">=", new Date(r.after));
    if (r?.before) q = q.where(column, "<=", new Date(r.before));
  };
  range("fr.expected_start_time", filter.expectedStartTime);
  range("fr.start_time", filter.startTime);
  return q;
}
