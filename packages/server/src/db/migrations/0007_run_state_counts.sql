-- 0007_run_state_counts: flow runs and task runs counted per hour and state, kept by triggers, so
-- the dashboard's 7- and 30-day windows read a few thousand counters instead of millions of index
-- entries (docs/decisions/0019).
--
-- Why this shape:
-- * Triggers, not the services that change states: every writer (API, batches, services, cascading
--   deletes, a future one) is covered, in the writer's own transaction, so counts are exact.
-- * Writers never update a shared counter row. Each statement appends its net change per
--   (hour, state) to run_state_count_deltas; only the run-count-compaction service folds deltas
--   into run_state_counts. A batch of 1,000 task runs adds a handful of delta rows, and writers never
--   wait on each other's row locks (the reason decision 0016 had refused counter tables).
-- * Statement-level triggers with transition tables for inserts, deletes and task-run updates: a
--   batch costs one aggregate, not one call per row, and an update that changes no counted column
--   nets to zero. A flow run's updates come one row at a time: a row trigger whose WHEN clause skips
--   every update that leaves its hour and state alone (heartbeats, leases).
-- * A reader sums counters and pending deltas in one statement, so a compaction running alongside
--   it is never counted twice or missed.
-- * Hours are date_bin('1 hour', t, '2000-01-01 00:00:00+00'): independent of the session's time
--   zone, and aligned with the dashboard's windows (which end on a bucket edge).
-- * Flow runs are placed by expected_start_time, task runs by created_at, as in migration 0006.

create table run_state_counts (
  run_kind text not null check (run_kind in ('flow', 'task')),
  hour timestamptz not null,
  state_type text not null,
  state_name text not null,
  count bigint not null,
  primary key (run_kind, hour, state_type, state_name)
);

create table run_state_count_deltas (
  run_kind text not null check (run_kind in ('flow', 'task')),
  hour timestamptz not null,
  state_type text not null,
  state_name text not null,
  delta bigint not null
);
create index run_state_count_deltas_hour_idx on run_state_count_deltas (run_kind, hour);

-- Holds writers off until the backfill and the triggers are in place, so no change falls between.
lock table flow_runs, task_runs in share row exclusive mode;

insert into run_state_counts (run_kind, hour, state_type, state_name, count)
select 'flow', date_bin('1 hour', expected_start_time, timestamptz '2000-01-01 00:00:00+00'),
  state_type, coalesce(state_name, ''), count(*)
from flow_runs where state_type is not null group by 2, 3, 4;

insert into run_state_counts (run_kind, hour, state_type, state_name, count)
select 'task', date_bin('1 hour', created_at, timestamptz '2000-01-01 00:00:00+00'),
  state_type, coalesce(state_name, ''), count(*)
from task_runs where state_type is not null group by 2, 3, 4;

-- One statement-level function per table. A transition table exists only for the events that have
-- it, and plpgsql plans a statement when it first runs, so each branch names only its own event's
-- tables. A task-run update adds the new rows and takes away the old: a row whose hour and state did
-- not change nets to zero.
create or replace function sluice_count_flow_runs() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into run_state_count_deltas (run_kind, hour, state_type, state_name, delta)
    select 'flow', date_bin('1 hour', expected_start_time, timestamptz '2000-01-01 00:00:00+00'), state_type,
      coalesce(state_name, ''), count(*)
    from sluice_new_rows where state_type is not null group by 2, 3, 4;
  else
    insert into run_state_count_deltas (run_kind, hour, state_type, state_name, delta)
    select 'flow', date_bin('1 hour', expected_start_time, timestamptz '2000-01-01 00:00:00+00'), state_type,
      coalesce(state_name, ''), -count(*)
    from sluice_old_rows where state_type is not null group by 2, 3, 4;
  end if;
  return null;
end $$;

-- A flow run's state changes one row at a time (and its heartbeats and leases touch other columns),
-- so its updates are counted per row, and only when a counted column changed: the WHEN clause is
-- checked without calling the function, and a touch of another column costs nothing.
create or replace function sluice_count_flow_run_update() returns trigger language plpgsql as $$
begin
  insert into run_state_count_deltas (run_kind, hour, state_type, state_name, delta)
  select 'flow', date_bin('1 hour', t, timestamptz '2000-01-01 00:00:00+00'), type, coalesce(name, ''), delta
  from (values (old.expected_start_time, old.state_type, old.state_name, -1),
               (new.expected_start_time, new.state_type, new.state_name, 1)) c(t, type, name, delta)
  where type is not null;
  return null;
end $$;

create or replace function sluice_count_task_runs() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into run_state_count_deltas (run_kind, hour, state_type, state_name, delta)
    select 'task', date_bin('1 hour', created_at, timestamptz '2000-01-01 00:00:00+00'), state_type,
      coalesce(state_name, ''), count(*)
    from sluice_new_rows where state_type is not null group by 2, 3, 4;
  elsif tg_op = 'DELETE' then
    insert into run_state_count_deltas (run_kind, hour, state_type, state_name, delta)
    select 'task', date_bin('1 hour', created_at, timestamptz '2000-01-01 00:00:00+00'), state_type,
      coalesce(state_name, ''), -count(*)
    from sluice_old_rows where state_type is not null group by 2, 3, 4;
  else
    insert into run_state_count_deltas (run_kind, hour, state_type, state_name, delta)
    select 'task', date_bin('1 hour', c.t, timestamptz '2000-01-01 00:00:00+00'), c.state_type,
      coalesce(c.state_name, ''), sum(c.delta)
    from (
      select created_at as t, state_type, state_name, 1 as delta from sluice_new_rows
      union all
      select created_at, state_type, state_name, -1 from sluice_old_rows
    ) c
    where c.state_type is not null
    group by 2, 3, 4
    having sum(c.delta) <> 0;
  end if;
  return null;
end $$;

create or replace function sluice_clear_run_counts() returns trigger language plpgsql as $$
begin
  delete from run_state_counts where run_kind = tg_argv[0];
  delete from run_state_count_deltas where run_kind = tg_argv[0];
  return null;
end $$;

create trigger flow_runs_count_insert after insert on flow_runs
  referencing new table as sluice_new_rows for each statement execute function sluice_count_flow_runs();
create trigger flow_runs_count_update after update of expected_start_time, state_type, state_name on flow_runs
  for each row when (old.expected_start_time is distinct from new.expected_start_time
    or old.state_type is distinct from new.state_type or old.state_name is distinct from new.state_name)
  execute function sluice_count_flow_run_update();
create trigger flow_runs_count_delete after delete on flow_runs
  referencing old table as sluice_old_rows for each statement execute function sluice_count_flow_runs();
create trigger flow_runs_count_truncate after truncate on flow_runs
  for each statement execute function sluice_clear_run_counts('flow');

create trigger task_runs_count_insert after insert on task_runs
  referencing new table as sluice_new_rows for each statement execute function sluice_count_task_runs();
create trigger task_runs_count_update after update on task_runs
  referencing old table as sluice_old_rows new table as sluice_new_rows
  for each statement execute function sluice_count_task_runs();
create trigger task_runs_count_delete after delete on task_runs
  referencing old table as sluice_old_rows for each statement execute function sluice_count_task_runs();
create trigger task_runs_count_truncate after truncate on task_runs
  for each statement execute function sluice_clear_run_counts('task');
