import type { TaskRunCreate, TaskRunStateRecord } from "@sluice/contracts";
import { sql, type Kysely } from "kysely";
import type { Tables } from "../db/tables.js";

type Db = Kysely<Tables>;

/**
 * Bulk writes for POST /api/task-runs/batch. Each is ONE statement over array parameters
 * (`unnest($1::uuid[], ...)`), so 10,000 rows cost one round trip, and each is idempotent.
 */

/**
 * Serialises batches touching the same flow runs until the transaction ends (PostgreSQL), so each
 * batch's refresh sees the states the other committed. Locks are taken in id order: no deadlocks.
 */
export async function lockFlowRunsForRecording(db: Db, flowRunIds: readonly string[]): Promise<void> {
  if (flowRunIds.length === 0) return;
  await sql`
    select pg_advisory_xact_lock(${TASK_RECORDING_LOCK_SPACE}, hashtext(id::text))
    from unnest(${[...flowRunIds].sort()}::uuid[]) as id order by id`.execute(db);
}

/** The terminal state types, as an SQL list. */
const TERMINAL = sql.raw(`('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED')`);

/** The first key of the two-key advisory locks taken while recording task runs. */
const TASK_RECORDING_LOCK_SPACE = 0x74726b; // "trk"

/** Inserts task runs, skipping ids already stored; returns how many were new. */
export async function insertTaskRuns(db: Db, taskRuns: readonly TaskRunCreate[], now: Date): Promise<number> {
  if (taskRuns.length === 0) return 0;
  const nowIso = now.toISOString();
  const result = await sql`
    insert into task_runs (id, flow_run_id, task_key, name, dynamic_key, tags, task_inputs, created_at, updated_at)
    select id, flow_run_id, task_key, name, dynamic_key, tags, task_inputs, created_at, created_at
    from unnest(
      ${taskRuns.map((t) => t.id)}::uuid[],
      ${taskRuns.map((t) => t.flowRunId)}::uuid[],
      ${taskRuns.map((t) => t.taskKey)}::text[],
      ${taskRuns.map((t) => t.name)}::text[],
      ${taskRuns.map((t) => t.dynamicKey)}::text[],
      ${taskRuns.map((t) => JSON.stringify(t.tags ?? []))}::jsonb[],
      ${taskRuns.map((t) => JSON.stringify(t.taskInputs ?? {}))}::jsonb[],
      ${taskRuns.map((t) => (t.createdAt ? new Date(t.createdAt).toISOString() : nowIso))}::timestamptz[]
    ) as x(id, flow_run_id, task_key, name, dynamic_key, tags, task_inputs, created_at)
    on conflict (id) do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** Inserts task-run states, skipping ids already stored; returns how many were new. */
export async function insertTaskRunStates(db: Db, records: readonly TaskRunStateRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  const states = records.map((r) => r.state);
  const result = await sql`
    insert into task_run_states (id, task_run_id, type, name, timestamp, message, details, result)
    select * from unnest(
      ${states.map((s) => s.id)}::uuid[],
      ${records.map((r) => r.taskRunId)}::uuid[],
      ${states.map((s) => s.type)}::text[],
      ${states.map((s) => s.name)}::text[],
      ${states.map((s) => new Date(s.timestamp).toISOString())}::timestamptz[],
      ${states.map((s) => s.message)}::text[],
      ${states.map((s) => JSON.stringify(s.details))}::jsonb[],
      ${states.map((s) => (s.result === null ? null : JSON.stringify(s.result)))}::jsonb[]
    )
    on conflict (id) do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/**
 * Recomputes each listed task run's current state and bookkeeping from its whole state history:
 * the newest state by (timestamp, id) becomes current; runCount counts RUNNING states; startTime is
 * the first RUNNING; endTime, when the current state is terminal, the time the run first reached a
 * terminal state after its last non-terminal one (a later terminal state, such as the "Reused" a
 * retried flow run appends, does not move it); totalRunTimeMs sums the time
 * from each RUNNING state to the next state; cache key and result come from the newest states
 * carrying them. Deriving it from history makes re-sent and out-of-order batches converge.
 */
export async function refreshTaskRuns(db: Db, taskRunIds: readonly string[], now: Date): Promise<void> {
  if (taskRunIds.length === 0) return;
  await sql`
    with history as (
      select s.*, lead(s.timestamp) over (partition by s.task_run_id order by s.timestamp, s.id) as next_timestamp,
        max(s.timestamp) filter (where s.type not in ${TERMINAL}) over (partition by s.task_run_id) as last_open
      from task_run_states s
      where s.task_run_id = any(${[...taskRunIds]}::uuid[])
    ),
    summary as (
      select
        task_run_id,
        (array_agg(id order by timestamp desc, id desc))[1] as state_id,
        (array_agg(type order by timestamp desc, id desc))[1] as state_type,
        (array_agg(name order by timestamp desc, id desc))[1] as state_name,
        min(timestamp) filter (where type in ${TERMINAL}
          and (last_open is null or timestamp > last_open)) as ended_at,
        count(*) filter (where type = 'RUNNING')::int as run_count,
        min(timestamp) filter (where type = 'RUNNING') as start_time,
        coalesce(sum(extract(epoch from next_timestamp - timestamp) * 1000)
          filter (where type = 'RUNNING'), 0)::double precision as total_run_time_ms,
        (array_agg(details->>'cacheKey' order by timestamp desc, id desc)
          filter (where details ? 'cacheKey'))[1] as cache_key,
        (array_agg(details->>'cacheExpiration' order by timestamp desc, id desc)
          filter (where details ? 'cacheExpiration'))[1] as cache_expiration,
        (array_agg(result order by timestamp desc, id desc)
          filter (where type = 'COMPLETED' and result is not null))[1] as result
      from history
      group by task_run_id
    )
    update task_runs t set
      state_id = s.state_id,
      state_type = s.state_type,
      state_name = s.state_name,
      run_count = s.run_count,
      start_time = s.start_time,
      end_time = case when s.state_type in ${TERMINAL} then s.ended_at else null end,
      total_run_time_ms = s.total_run_time_ms,
      cache_key = coalesce(s.cache_key, t.cache_key),
      cache_expiration = coalesce(s.cache_expiration::timestamptz, t.cache_expiration),
      result = coalesce(s.result, t.result),
      updated_at = ${now.toISOString()}::timestamptz
    from summary s
    where t.id = s.task_run_id`.execute(db);
}
