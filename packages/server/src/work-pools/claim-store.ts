import { sql, type Kysely } from "kysely";
import { leaseExpiry, usedDeploymentSlots } from "../concurrency/deployment-leases.js";
import type { Tables } from "../db/tables.js";
import type { FlowRunJoinedRow } from "../flow-runs/flow-run-rows.js";

type Db = Kysely<Tables>;

/** What the claim did to a run: claimed it (PENDING), cancelled it, or marked it waiting for a slot. */
export type ClaimAction = "claim" | "cancel" | "enqueue";

/** A run the claim changed, as a joined flow-run row, with what a worker needs to launch it. */
export type ClaimedRow = FlowRunJoinedRow & {
  action: ClaimAction;
  deployment_name: string | null;
  entrypoint: string | null;
  path: string | null;
};

/** One claim by one worker. */
export interface ClaimInput {
  readonly poolId: string;
  /** The queues served (paused ones are skipped by the statement). */
  readonly queueIds: readonly string[];
  readonly workerId: string;
  readonly now: Date;
  /** Runs due up to this time are claimed (now + prefetch). */
  readonly scheduledBefore: Date;
  /** Most runs claimed; also the most runs cancelled or marked waiting. */
  readonly limit: number;
  /** Ids for the new states, at least 2 × limit (time-ordered ids keep state history in order). */
  readonly stateIds: readonly string[];
}

const ACTIVE = sql.raw(`('PENDING', 'RUNNING', 'CANCELLING')`);

/**
 * Claims due SCHEDULED runs of a pool in ONE statement (after Prefect's get-runs-from-worker-queues):
 * 1. the pool's and each served queue's free slots (limit minus PENDING, RUNNING and CANCELLING runs);
 * 2. per queue, due runs in due order, at most its free slots, locked FOR UPDATE SKIP LOCKED (a run
 *    locked by another claim is skipped, so no run is claimed twice), leaving out runs of paused
 *    deployments and runs already waiting for a slot of a deployment that is still full;
 * 3. per deployment with a limit, the first runs up to its free slots are claimable; due runs past
 *    them are cancelled (CANCEL_NEW) or renamed AwaitingConcurrencySlot (ENQUEUE), once;
 * 4. claims by queue priority (lower first) then due time, up to the pool's free slots and `limit`;
 * 5. writes: new state rows, the runs' state columns and worker, and leases for limited deployments.
 * The caller serialises claims of one pool (see claimFlowRunsOnce) so the counts include every
 * earlier claim; SKIP LOCKED alone would keep runs unique but let two claims overrun a limit.
 */
export async function claimDueFlowRuns(db: Db, input: ClaimInput): Promise<ClaimedRow[]> {
  const { now, limit } = input;
  const result = await sql<ClaimedRow>`
with
pool as (
  select p.id,
    case when p.concurrency_limit is null then ${limit}::int
      else greatest(0, p.concurrency_limit - (
        select count(*)::int from flow_runs a
        join work_queues aq on aq.id = a.work_queue_id
        where aq.work_pool_id = p.id and a.state_type in ${ACTIVE}))
    end as slots
  from work_pools p
  where p.id = ${input.poolId}::uuid and not p.paused
),
queue as (
  select q.id, q.priority,
    least(pool.slots, case when q.concurrency_limit is null then ${limit}::int
      else greatest(0, q.concurrency_limit - (
        select count(*)::int from flow_runs a where a.work_queue_id = q.id and a.state_type in ${ACTIVE}))
    end) as slots
  from work_queues q join pool on q.work_pool_id = pool.id
  where q.id = any(${[...input.queueIds]}::uuid[]) and not q.paused
),
candidate as (
  select c.*, queue.priority
  from queue
  cross join lateral (
    select fr.id, fr.deployment_id, fr.next_scheduled_start_time,
      fr.state_id as old_state_id, fr.state_name as old_state_name
    from flow_runs fr
    where fr.work_queue_id = queue.id
      and fr.state_type = 'SCHEDULED'
      and fr.next_scheduled_start_time <= ${input.scheduledBefore}::timestamptz
      and not exists (
        select 1 from deployments d
        where d.id = fr.deployment_id
          and (d.paused or (fr.state_name = 'AwaitingConcurrencySlot'
            and d.concurrency_limit <= ${usedDeploymentSlots(sql.ref("d.id"), now)})))
    order by fr.next_scheduled_start_time, fr.id
    limit queue.slots
    for update of fr skip locked
  ) c
),
deployment_slot as (
  select d.id, d.collision_strategy, d.concurrency_limit,
    greatest(0, d.concurrency_limit - ${usedDeploymentSlots(sql.ref("d.id"), now)}) as slots
  from deployments d
  where d.concurrency_limit is not null and d.id in (select deployment_id from candidate)
),
decided as (
  select c.*, ds.concurrency_limit as deployment_limit,
    case
      when ds.id is null or row_number() over (
        partition by c.deployment_id order by c.priority, c.next_scheduled_start_time, c.id) <= ds.slots
        then 'claim'
      when c.next_scheduled_start_time > ${now}::timestamptz then 'none'
      when ds.collision_strategy = 'CANCEL_NEW' then 'cancel'
      when c.old_state_name <> 'AwaitingConcurrencySlot' then 'enqueue'
      else 'none'
    end as action
  from candidate c left join deployment_slot ds on ds.id = c.deployment_id
),
picked as (
  select r.*, row_number() over (order by r.action, r.priority, r.next_scheduled_start_time, r.id) as n
  from (
    select d.*, row_number() over (
      partition by d.action order by d.priority, d.next_scheduled_start_time, d.id) as action_rank
    from decided d where d.action <> 'none'
  ) r
  where r.action_rank <= ${limit}::int
    and (r.action <> 'claim' or r.action_rank <= (select slots from pool))
),
changed as (
  update flow_runs fr set
    state_id = (${[...input.stateIds]}::uuid[])[p.n::int],
    state_type = case p.action when 'claim' then 'PENDING' when 'cancel' then 'CANCELLED' else 'SCHEDULED' end,
    state_name = case p.action
      when 'claim' then 'Pending' when 'cancel' then 'Cancelled' else 'AwaitingConcurrencySlot' end,
    next_scheduled_start_time = case when p.action = 'enqueue' then fr.next_scheduled_start_time end,
    worker_id = case when p.action = 'claim' then ${input.workerId}::uuid else fr.worker_id end,
    end_time = case when p.action = 'cancel' then ${now}::timestamptz else fr.end_time end,
    updated_at = ${now}::timestamptz
  from picked p
  where fr.id = p.id
  returning fr.*, p.action, p.deployment_limit, p.old_state_id
),
new_state as (
  select c.id as flow_run_id, c.state_id as id, c.state_type as type, c.state_name as name,
    ${now}::timestamptz as timestamp,
    case c.action
      when 'cancel' then 'cancelled: the deployment already runs ' || c.deployment_limit
        || ' flow runs, its concurrency limit, and its collision strategy is CANCEL_NEW'
      when 'enqueue' then 'waiting for a concurrency slot: the deployment already runs '
        || c.deployment_limit || ' flow runs, its concurrency limit'
    end as message,
    case c.action
      when 'claim' then jsonb_strip_nulls(jsonb_build_object('scheduledTime', s.details -> 'scheduledTime'))
      when 'enqueue' then coalesce(s.details, '{}'::jsonb)
      else '{}'::jsonb
    end as details
  from changed c left join flow_run_states s on s.id = c.old_state_id
),
inserted_state as (
  insert into flow_run_states (id, flow_run_id, type, name, timestamp, message, details, result)
  select id, flow_run_id, type, name, timestamp, message, details, null from new_state
),
lease as (
  insert into concurrency_leases (flow_run_id, deployment_id, expires_at, created_at)
  select c.id, c.deployment_id, ${leaseExpiry(now)}::timestamptz, ${now}::timestamptz
  from changed c
  where c.action = 'claim' and c.deployment_limit is not null
  on conflict (flow_run_id) do update
    set deployment_id = excluded.deployment_id, expires_at = excluded.expires_at
)
select c.*, f.name as flow_name,
  ns.type as s_type, ns.name as s_name, ns.timestamp as s_timestamp, ns.message as s_message,
  ns.details as s_details, null as s_result,
  d.name as deployment_name, d.entrypoint, d.path
from changed c
join new_state ns on ns.flow_run_id = c.id
join flows f on f.id = c.flow_id
left join deployments d on d.id = c.deployment_id
order by c.action, c.state_id`.execute(db);
  return result.rows;
}

/** The ids among `ids` whose runs are CANCELLING. */
export async function findCancellingRuns(db: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("flow_runs")
    .select("id")
    .where(sql<boolean>`id = any(${[...ids]}::uuid[])`)
    .where("state_type", "=", "CANCELLING")
    .execute();
  return rows.map((row) => row.id);
}

/** When the next SCHEDULED run of these queues due after `after` is due, or undefined. */
export async function nextDueTime(
  db: Db,
  queueIds: readonly string[],
  after: Date,
): Promise<Date | undefined> {
  if (queueIds.length === 0) return undefined;
  const row = await db
    .selectFrom("flow_runs")
    .select(sql<Date | null>`min(next_scheduled_start_time)`.as("due"))
    .where(sql<boolean>`work_queue_id = any(${[...queueIds]}::uuid[])`)
    .where("state_type", "=", "SCHEDULED")
    .where("next_scheduled_start_time", ">", after)
    .executeTakeFirst();
  return row?.due ?? undefined;
}

/** Marks the pool, the served queues and their deployments as polled (at most every 5 s each). */
export async function recordPoll(
  db: Db,
  poolId: string,
  queueIds: readonly string[],
  now: Date,
): Promise<void> {
  const stale = sql<Date>`${now}::timestamptz - interval '5 seconds'`;
  const queues = [...queueIds];
  await sql`
with
pool as (
  update work_pools set last_polled_at = ${now}::timestamptz
  where id = ${poolId}::uuid and (last_polled_at is null or last_polled_at < ${stale})
),
queue as (
  update work_queues set last_polled_at = ${now}::timestamptz
  where id = any(${queues}::uuid[]) and (last_polled_at is null or last_polled_at < ${stale})
)
update deployments set last_polled_at = ${now}::timestamptz
where work_queue_id = any(${queues}::uuid[]) and (last_polled_at is null or last_polled_at < ${stale})`.execute(
    db,
  );
}
