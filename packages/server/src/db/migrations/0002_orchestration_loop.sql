-- 0002_orchestration_loop: work pools, work queues, workers, deployments, their schedules, and
-- concurrency leases; flow runs learn which deployment and queue they belong to.
--
-- Why this shape:
-- * A flow run that a worker should pick up is SCHEDULED with a work queue; the dispatch index covers
--   exactly those rows (partial index on state_type = 'SCHEDULED'), ordered by when they are due, so
--   the claim query reads only due runs however many finished runs the table holds.
-- * Pool and queue names are copied onto the flow run (like the flow name is joined) so listing runs
--   never joins three tables.
-- * Scheduled runs carry an idempotency key (`scheduled:<schedule id>:<time>`), so two scheduler
--   passes, or two servers, can never create the same run twice (the unique index from 0001).
-- * A deployment's concurrency slot is a lease row held by a flow run; it expires unless renewed by
--   the run's heartbeat, so a dead process cannot hold a slot for ever.

create table work_pools (
  id uuid primary key,
  name text not null,
  type text not null,
  description text,
  base_job_template jsonb not null,
  concurrency_limit integer,
  paused boolean not null default false,
  last_polled_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  constraint work_pools_name_key unique (name)
);

create table work_queues (
  id uuid primary key,
  work_pool_id uuid not null references work_pools (id) on delete cascade,
  name text not null,
  description text,
  -- Lower is served first; 1 is the highest priority.
  priority integer not null,
  concurrency_limit integer,
  paused boolean not null default false,
  last_polled_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  constraint work_queues_pool_name_key unique (work_pool_id, name)
);

create table workers (
  id uuid primary key,
  work_pool_id uuid not null references work_pools (id) on delete cascade,
  name text not null,
  heartbeat_interval_seconds integer not null,
  last_heartbeat_at timestamptz not null,
  metadata jsonb not null default '{}',
  created_at timestamptz not null,
  updated_at timestamptz not null,
  constraint workers_pool_name_key unique (work_pool_id, name)
);

create table deployments (
  id uuid primary key,
  flow_id uuid not null references flows (id) on delete cascade,
  name text not null,
  description text,
  version text,
  tags jsonb not null default '[]',
  entrypoint text not null,
  -- The directory the entrypoint is relative to (the project root holding sluice.yaml).
  path text,
  parameters jsonb not null default '{}',
  parameter_schema jsonb,
  enforce_parameter_schema boolean not null default true,
  work_pool_id uuid references work_pools (id) on delete set null,
  work_queue_id uuid references work_queues (id) on delete set null,
  job_variables jsonb not null default '{}',
  concurrency_limit integer,
  collision_strategy text not null default 'ENQUEUE',
  late_run_policy jsonb not null default '{"mode":"RUN_ALL"}',
  crash_retries integer not null default 0,
  paused boolean not null default false,
  last_polled_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  constraint deployments_flow_name_key unique (flow_id, name)
);
create index deployments_created_at_idx on deployments (created_at, id);
create index deployments_work_pool_id_idx on deployments (work_pool_id) where work_pool_id is not null;

create table deployment_schedules (
  id uuid primary key,
  deployment_id uuid not null references deployments (id) on delete cascade,
  -- { kind: cron | interval | rrule, ... } as in the contracts' Schedule.
  schedule jsonb not null,
  active boolean not null default true,
  parameters jsonb not null default '{}',
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index deployment_schedules_deployment_id_idx on deployment_schedules (deployment_id);

alter table flow_runs
  add column deployment_id uuid references deployments (id) on delete set null,
  -- No foreign key: a removed schedule's finished runs keep pointing at what made them.
  add column schedule_id uuid,
  add column auto_scheduled boolean not null default false,
  add column work_queue_id uuid references work_queues (id) on delete set null,
  add column work_pool_name text,
  add column work_queue_name text,
  add column job_variables jsonb not null default '{}',
  -- When a SCHEDULED run is due (its state's scheduledTime); null in any other state.
  add column next_scheduled_start_time timestamptz,
  add column worker_id uuid,
  add column infrastructure_id text;
create index flow_runs_dispatch_idx on flow_runs (work_queue_id, next_scheduled_start_time, id)
  where state_type = 'SCHEDULED';
create index flow_runs_deployment_id_idx on flow_runs (deployment_id, expected_start_time, id)
  where deployment_id is not null;
create index flow_runs_active_deployment_idx on flow_runs (deployment_id)
  where state_type in ('PENDING', 'RUNNING', 'CANCELLING');
create index flow_runs_heartbeat_idx on flow_runs (last_heartbeat_at) where state_type = 'RUNNING';

create table concurrency_leases (
  flow_run_id uuid primary key references flow_runs (id) on delete cascade,
  deployment_id uuid not null references deployments (id) on delete cascade,
  expires_at timestamptz not null,
  created_at timestamptz not null
);
create index concurrency_leases_deployment_id_idx on concurrency_leases (deployment_id);
create index concurrency_leases_expires_at_idx on concurrency_leases (expires_at);
