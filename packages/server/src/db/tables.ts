import type { ColumnType, Generated, Selectable } from "kysely";

/** A timestamptz column: read as Date, written as Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A jsonb column: read parsed, written as a JSON string (pg would turn JS arrays into SQL arrays). */
type Json<T> = ColumnType<T, string, string>;

/** Kysely table types; must match db/migrations (see schema.snapshot.sql). */
export interface Tables {
  flows: FlowsTable;
  flow_runs: FlowRunsTable;
  flow_run_states: StatesTable & { flow_run_id: string };
  task_runs: TaskRunsTable;
  task_run_states: StatesTable & { task_run_id: string };
  logs: LogsTable;
  artifacts: ArtifactsTable;
  sluice_migrations: MigrationsTable;
}

/** flows: one row per flow name. */
export interface FlowsTable {
  id: string;
  name: string;
  tags: Json<string[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** flow_runs: one row per flow run, pointing at its current state. */
export interface FlowRunsTable {
  id: string;
  flow_id: string;
  name: string;
  parent_task_run_id: string | null;
  parameters: Json<Record<string, unknown>>;
  parameter_schema: Json<Record<string, unknown>> | null;
  tags: Json<string[]>;
  policy: Json<{ retries: number; retryDelaySeconds: number }>;
  state_id: string | null;
  state_type: string | null;
  state_name: string | null;
  run_count: Generated<number>;
  expected_start_time: Timestamp;
  start_time: Timestamp | null;
  end_time: Timestamp | null;
  total_run_time_ms: Generated<number>;
  result: Json<unknown> | null;
  idempotency_key: string | null;
  last_heartbeat_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The columns flow_run_states and task_run_states share. */
export interface StatesTable {
  id: string;
  type: string;
  name: string;
  timestamp: Timestamp;
  message: string | null;
  details: Json<Record<string, unknown>>;
  result: Json<unknown> | null;
}

/** task_runs: recorded from SDK batches; current state derived from history. */
export interface TaskRunsTable {
  id: string;
  flow_run_id: string;
  task_key: string;
  name: string;
  dynamic_key: string;
  tags: Json<string[]>;
  task_inputs: Json<Record<string, unknown>>;
  cache_key: string | null;
  cache_expiration: Timestamp | null;
  state_id: string | null;
  state_type: string | null;
  state_name: string | null;
  run_count: Generated<number>;
  start_time: Timestamp | null;
  end_time: Timestamp | null;
  total_run_time_ms: Generated<number>;
  result: Json<unknown> | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** logs: log lines of flow runs and task runs. */
export interface LogsTable {
  id: string;
  flow_run_id: string | null;
  task_run_id: string | null;
  name: string;
  level: number;
  message: string;
  timestamp: Timestamp;
  created_at: Timestamp;
}

/** artifacts: versions share a key; the newest is the latest. */
export interface ArtifactsTable {
  id: string;
  key: string | null;
  type: string;
  description: string | null;
  data: Json<unknown> | null;
  flow_run_id: string | null;
  task_run_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** sluice_migrations: the ledger of applied migrations. */
export interface MigrationsTable {
  name: string;
  applied_at: Timestamp;
}

/** Rows as read. */
export type FlowRow = Selectable<FlowsTable>;
export type FlowRunRow = Selectable<FlowRunsTable>;
export type StateRow = Selectable<StatesTable>;
export type TaskRunRow = Selectable<TaskRunsTable>;
export type LogRow = Selectable<LogsTable>;
export type ArtifactRow = Selectable<ArtifactsTable>;
