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
  work_pools: WorkPoolsTable;
  work_queues: WorkQueuesTable;
  workers: WorkersTable;
  deployments: DeploymentsTable;
  deployment_schedules: DeploymentSchedulesTable;
  concurrency_leases: ConcurrencyLeasesTable;
  variables: VariablesTable;
  block_types: BlockTypesTable;
  blocks: BlocksTable;
  api_keys: ApiKeysTable;
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
  policy: Json<{
    retries: number;
    retryDelaySeconds: number;
    crashRetries?: number;
    retryBaseRunCount?: number;
  }>;
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
  deployment_id: Generated<string | null>;
  schedule_id: Generated<string | null>;
  auto_scheduled: Generated<boolean>;
  work_queue_id: Generated<string | null>;
  work_pool_name: Generated<string | null>;
  work_queue_name: Generated<string | null>;
  job_variables: ColumnType<Record<string, unknown>, string | undefined, string>;
  next_scheduled_start_time: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  worker_id: Generated<string | null>;
  infrastructure_id: Generated<string | null>;
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

/** work_pools: where workers take runs from; each has a `default` queue. */
export interface WorkPoolsTable {
  id: string;
  name: string;
  type: string;
  description: string | null;
  base_job_template: Json<{ variables: Record<string, unknown>; jobConfiguration: Record<string, unknown> }>;
  concurrency_limit: number | null;
  paused: Generated<boolean>;
  last_polled_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** work_queues: a pool's queues, served by priority (lower first). */
export interface WorkQueuesTable {
  id: string;
  work_pool_id: string;
  name: string;
  description: string | null;
  priority: number;
  concurrency_limit: number | null;
  paused: Generated<boolean>;
  last_polled_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** workers: registered by their heartbeats. */
export interface WorkersTable {
  id: string;
  work_pool_id: string;
  name: string;
  heartbeat_interval_seconds: number;
  last_heartbeat_at: Timestamp;
  metadata: Json<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** deployments: a flow's entrypoint with its defaults, pool, limits and policies. */
export interface DeploymentsTable {
  id: string;
  flow_id: string;
  name: string;
  description: string | null;
  version: string | null;
  tags: Json<string[]>;
  entrypoint: string;
  path: string | null;
  parameters: Json<Record<string, unknown>>;
  parameter_schema: Json<Record<string, unknown>> | null;
  enforce_parameter_schema: boolean;
  work_pool_id: string | null;
  work_queue_id: string | null;
  job_variables: Json<Record<string, unknown>>;
  concurrency_limit: number | null;
  collision_strategy: string;
  late_run_policy: Json<
    { mode: "RUN_ALL" } | { mode: "RUN_LATEST" } | { mode: "SKIP_LATE"; thresholdSeconds: number }
  >;
  crash_retries: number;
  paused: Generated<boolean>;
  last_polled_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** deployment_schedules: when a deployment runs; `schedule` is the contracts' Schedule. */
export interface DeploymentSchedulesTable {
  id: string;
  deployment_id: string;
  schedule: Json<Record<string, unknown>>;
  active: boolean;
  parameters: Json<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** concurrency_leases: a deployment concurrency slot held by a flow run until it ends or expires. */
export interface ConcurrencyLeasesTable {
  flow_run_id: string;
  deployment_id: string;
  expires_at: Timestamp;
  created_at: Timestamp;
}

/** variables: named JSON values. */
export interface VariablesTable {
  id: string;
  name: string;
  value: Json<unknown>;
  tags: Json<string[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** block_types: the kinds of block, built-in or registered from code. */
export interface BlockTypesTable {
  id: string;
  slug: string;
  name: string;
  description: string;
  schema: Json<Record<string, unknown>>;
  secret_fields: Json<string[]>;
  built_in: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A bytea column: read as bytes (pg gives a Buffer, PGlite a Uint8Array), written as a Buffer. */
type Bytes = ColumnType<Uint8Array, Buffer, Buffer>;

/** blocks: named instances of a block type; the data is only stored encrypted. */
export interface BlocksTable {
  id: string;
  block_type_id: string;
  name: string;
  ciphertext: Bytes;
  iv: Bytes;
  auth_tag: Bytes;
  key_id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** api_keys: keys callers authenticate with; only the SHA-256 of each key is kept. */
export interface ApiKeysTable {
  id: string;
  name: string;
  scope: "read" | "write" | "admin";
  key_hash: string;
  prefix: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  expires_at: Timestamp | null;
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
export type WorkPoolRow = Selectable<WorkPoolsTable>;
export type WorkQueueRow = Selectable<WorkQueuesTable>;
export type WorkerRow = Selectable<WorkersTable>;
export type DeploymentRow = Selectable<DeploymentsTable>;
export type DeploymentScheduleRow = Selectable<DeploymentSchedulesTable>;
export type BlockTypeRow = Selectable<BlockTypesTable>;
export type BlockRow = Selectable<BlocksTable>;
