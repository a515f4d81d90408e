-- 0001_initial: flows, flow runs, task runs, their state histories, logs and artifacts.
--
-- Why this shape:
-- * Ids are uuids chosen by the application (clients pick task-run, state and log ids so that
--   re-sent batches are harmless); timestamps are timestamptz written by the application clock.
-- * Every state lands in the run's history table; the run row points at its current state
--   (`state_id`) and copies its type and name (`state_type`, `state_name`) for filtering.
-- * Tags are jsonb arrays so one GIN index answers "carries all of these tags" (`@>`).
-- * Indexes follow the queries the UI and CLI run at millions of rows: every listing is a
--   keyset scan over (sort column, id).

create table flows (
  id uuid primary key,
  name text not null,
  tags jsonb not null default '[]',
  created_at timestamptz not null,
  updated_at timestamptz not null,
  constraint flows_name_key unique (name)
);
create index flows_created_at_idx on flows (created_at, id);

create table flow_runs (
  id uuid primary key,
  flow_id uuid not null references flows (id) on delete cascade,
  name text not null,
  -- No foreign key: the parent task run is recorded in a batch that may arrive after the child.
  parent_task_run_id uuid,
  parameters jsonb not null,
  parameter_schema jsonb,
  tags jsonb not null default '[]',
  policy jsonb not null,
  state_id uuid,
  state_type text,
  state_name text,
  run_count integer not null default 0,
  expected_start_time timestamptz not null,
  start_time timestamptz,
  end_time timestamptz,
  total_run_time_ms double precision not null default 0,
  result jsonb,
  idempotency_key text,
  last_heartbeat_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index flow_runs_expected_start_time_idx on flow_runs (expected_start_time, id);
create index flow_runs_flow_id_idx on flow_runs (flow_id, expected_start_time, id);
create index flow_runs_state_type_idx on flow_runs (state_type, expected_start_time, id);
create index flow_runs_state_name_idx on flow_runs (state_name, expected_start_time, id);
create index flow_runs_created_at_idx on flow_runs (created_at, id);
create index flow_runs_name_idx on flow_runs (name, id);
create index flow_runs_start_time_idx on flow_runs (start_time, id) where start_time is not null;
create index flow_runs_tags_idx on flow_runs using gin (tags jsonb_path_ops);
create index flow_runs_parent_task_run_id_idx on flow_runs (parent_task_run_id) where parent_task_run_id is not null;
create unique index flow_runs_idempotency_key_idx on flow_runs (flow_id, idempotency_key)
  where idempotency_key is not null;

create table flow_run_states (
  id uuid primary key,
  flow_run_id uuid not null references flow_runs (id) on delete cascade,
  type text not null,
  name text not null,
  timestamp timestamptz not null,
  message text,
  details jsonb not null default '{}',
  result jsonb
);
create index flow_run_states_flow_run_id_idx on flow_run_states (flow_run_id, timestamp, id);

create table task_runs (
  id uuid primary key,
  flow_run_id uuid not null references flow_runs (id) on delete cascade,
  task_key text not null,
  name text not null,
  dynamic_key text not null,
  tags jsonb not null default '[]',
  task_inputs jsonb not null default '{}',
  cache_key text,
  cache_expiration timestamptz,
  state_id uuid,
  state_type text,
  state_name text,
  run_count integer not null default 0,
  start_time timestamptz,
  end_time timestamptz,
  total_run_time_ms double precision not null default 0,
  result jsonb,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index task_runs_flow_run_id_idx on task_runs (flow_run_id, created_at, id);
create index task_runs_created_at_idx on task_runs (created_at, id);
create index task_runs_state_type_idx on task_runs (state_type, created_at, id);
create index task_runs_tags_idx on task_runs using gin (tags jsonb_path_ops);
create index task_runs_cache_key_idx on task_runs (cache_key) where cache_key is not null;

create table task_run_states (
  id uuid primary key,
  task_run_id uuid not null references task_runs (id) on delete cascade,
  type text not null,
  name text not null,
  timestamp timestamptz not null,
  message text,
  details jsonb not null default '{}',
  result jsonb
);
create index task_run_states_task_run_id_idx on task_run_states (task_run_id, timestamp, id);

create table logs (
  id uuid primary key,
  flow_run_id uuid references flow_runs (id) on delete cascade,
  -- No foreign key: task runs are recorded in batches that may arrive after their logs.
  task_run_id uuid,
  name text not null,
  level integer not null,
  message text not null,
  timestamp timestamptz not null,
  created_at timestamptz not null
);
create index logs_flow_run_id_idx on logs (flow_run_id, timestamp, id);
create index logs_task_run_id_idx on logs (task_run_id, timestamp, id) where task_run_id is not null;
create index logs_timestamp_idx on logs (timestamp, id);

create table artifacts (
  id uuid primary key,
  key text,
  type text not null,
  description text,
  data jsonb,
  flow_run_id uuid references flow_runs (id) on delete cascade,
  task_run_id uuid,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index artifacts_key_idx on artifacts (key, created_at, id) where key is not null;
create index artifacts_flow_run_id_idx on artifacts (flow_run_id, created_at, id) where flow_run_id is not null;
create index artifacts_task_run_id_idx on artifacts (task_run_id, created_at, id) where task_run_id is not null;
create index artifacts_created_at_idx on artifacts (created_at, id);
