import { MAX_LISTED_SLOT_RUNS } from "@sluice/contracts";
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Tables } from "../db/tables.js";

type Db = Kysely<Tables>;

/** Most limits of each kind read; one more tells that the list was cut. */
export const MAX_LIMITS_PER_KIND = 500;

/** A run holding or waiting for a slot, ranked within its group (`group_id`: a queue or deployment). */
export interface SlotRunRow {
  group_id: string;
  id: string;
  name: string;
  flow_name: string;
  state_type: string | null;
  state_name: string | null;
  since: Date;
  /** For queue waiters: when the run is due, to order a pool's waiters across queues. */
  due: Date | null;
  /** How many runs the group has in all (every row of a group repeats it). */
  total: number;
}

export interface PoolLimitRow {
  id: string;
  name: string;
  concurrency_limit: number | null;
  paused: boolean;
}

export interface QueueLimitRow extends PoolLimitRow {
  work_pool_id: string;
  priority: number;
}

export interface DeploymentLimitRow extends PoolLimitRow {
  collision_strategy: string;
  work_pool_name: string | null;
}

const ACTIVE = sql.raw(`('PENDING', 'RUNNING', 'CANCELLING')`);

/**
 * Keeps the first MAX_LISTED_SLOT_RUNS rows of each group in `order`, with the group's total: the
 * runs are read in one pass (their number is bounded by the limits or by what is due), only the
 * listed ones leave the database.
 */
function firstOfEachGroup(runs: RawBuilder<unknown>, order: RawBuilder<unknown>) {
  return sql<SlotRunRow>`
select * from (
  select r.*, row_number() over (partition by r.group_id order by ${order}) as rank,
    count(*) over (partition by r.group_id)::int as total
  from (${runs}) r
) ranked
where ranked.rank <= ${MAX_LISTED_SLOT_RUNS}
order by ranked.group_id, ranked.rank`;
}

/** Pools by name (all, or the one named), at most MAX_LIMITS_PER_KIND + 1. */
export async function findPools(db: Db, poolName: string | undefined): Promise<PoolLimitRow[]> {
  let query = db.selectFrom("work_pools").select(["id", "name", "concurrency_limit", "paused"]);
  if (poolName !== undefined) query = query.where("name", "=", poolName);
  return query
    .orderBy("name")
    .limit(MAX_LIMITS_PER_KIND + 1)
    .execute();
}

/** Every queue of these pools, by priority. */
export async function findQueues(db: Db, poolIds: readonly string[]): Promise<QueueLimitRow[]> {
  if (poolIds.length === 0) return [];
  return db
    .selectFrom("work_queues")
    .select(["id", "work_pool_id", "name", "priority", "concurrency_limit", "paused"])
    .where(sql<boolean>`work_pool_id = any(${[...poolIds]}::uuid[])`)
    .orderBy("priority")
    .orderBy("name")
    .execute();
}

/**
 * The PENDING, RUNNING and CANCELLING runs of each queue, longest held first: since when they hold
 * the slot (a PENDING run since its claim, a running one since it started).
 */
export async function findQueueHolders(db: Db, queueIds: readonly string[]): Promise<SlotRunRow[]> {
  if (queueIds.length === 0) return [];
  const runs = sql`
    select fr.work_queue_id as group_id, fr.id, fr.name, f.name as flow_name, fr.state_type,
      fr.state_name, null::timestamptz as due,
      case when fr.state_type = 'PENDING' then coalesce(s.timestamp, fr.updated_at)
        else coalesce(fr.start_time, s.timestamp, fr.updated_at) end as since
    from flow_runs fr
    join flows f on f.id = fr.flow_id
    left join flow_run_states s on s.id = fr.state_id
    where fr.state_type in ${ACTIVE} and fr.work_queue_id = any(${[...queueIds]}::uuid[])`;
  return (await firstOfEachGroup(runs, sql`r.since, r.id`).execute(db)).rows;
}

/**
 * The SCHEDULED runs of each queue due at `now`, in due order (the dispatch index), each waiting
 * since it was due. A lateral read per queue stops after MAX_LISTED_SLOT_RUNS; the totals are a
 * count over the same index range.
 */
export async function findQueueWaiters(
  db: Db,
  queueIds: readonly string[],
  now: Date,
): Promise<SlotRunRow[]> {
  if (queueIds.length === 0) return [];
  const ids = [...queueIds];
  const result = await sql<SlotRunRow>`
with total as (
  select work_queue_id, count(*)::int as total from flow_runs
  where state_type = 'SCHEDULED' and work_queue_id = any(${ids}::uuid[])
    and next_scheduled_start_time <= ${now}::timestamptz
  group by work_queue_id
)
select q.id as group_id, w.id, w.name, f.name as flow_name, w.state_type, w.state_name,
  w.next_scheduled_start_time as since, w.next_scheduled_start_time as due, total.total
from unnest(${ids}::uuid[]) as q (id)
join total on total.work_queue_id = q.id
cross join lateral (
  select fr.id, fr.name, fr.flow_id, fr.state_type, fr.state_name, fr.next_scheduled_start_time
  from flow_runs fr
  where fr.work_queue_id = q.id and fr.state_type = 'SCHEDULED'
    and fr.next_scheduled_start_time <= ${now}::timestamptz
  order by fr.next_scheduled_start_time, fr.id
  limit ${MAX_LISTED_SLOT_RUNS}
) w
join flows f on f.id = w.flow_id
order by q.id, w.next_scheduled_start_time, w.id`.execute(db);
  return result.rows;
}

/** Deployments with a concurrency limit (all, or those of one pool) by name, at most 501. */
export async function findLimitedDeployments(
  db: Db,
  poolName: string | undefined,
): Promise<DeploymentLimitRow[]> {
  const inPool = poolName === undefined ? sql`true` : sql`p.name = ${poolName}`;
  const result = await sql<DeploymentLimitRow>`
select d.id, f.name || '/' || d.name as name, d.concurrency_limit, d.paused, d.collision_strategy,
  p.name as work_pool_name
from deployments d
join flows f on f.id = d.flow_id
left join work_pools p on p.id = d.work_pool_id
where d.concurrency_limit is not null and ${inPool}
order by f.name, d.name
limit ${MAX_LIMITS_PER_KIND + 1}`.execute(db);
  return result.rows;
}

/**
 * The runs holding each deployment's slots at `now`, as the claim counts them: unexpired leases
 * (since the claim took them) and PENDING runs without one (since their claim).
 */
export async function findDeploymentHolders(
  db: Db,
  deploymentIds: readonly string[],
  now: Date,
): Promise<SlotRunRow[]> {
  if (deploymentIds.length === 0) return [];
  const ids = [...deploymentIds];
  const runs = sql`
    select h.group_id, fr.id, fr.name, f.name as flow_name, fr.state_type, fr.state_name,
      h.since, null::timestamptz as due
    from (
      select l.deployment_id as group_id, l.flow_run_id, l.created_at as since
      from concurrency_leases l
      where l.deployment_id = any(${ids}::uuid[]) and l.expires_at > ${now}::timestamptz
      union all
      select a.deployment_id, a.id, coalesce(s.timestamp, a.updated_at)
      from flow_runs a
      left join flow_run_states s on s.id = a.state_id
      where a.deployment_id = any(${ids}::uuid[]) and a.state_type = 'PENDING'
        and not exists (
          select 1 from concurrency_leases l
          where l.flow_run_id = a.id and l.expires_at > ${now}::timestamptz)
    ) h
    join flow_runs fr on fr.id = h.flow_run_id
    join flows f on f.id = fr.flow_id`;
  return (await firstOfEachGroup(runs, sql`r.since, r.id`).execute(db)).rows;
}

/**
 * The runs of each deployment waiting for a slot (AwaitingConcurrencySlot, found through the state
 * name index), in the order a claim serves them, each since it was marked waiting.
 */
export async function findDeploymentWaiters(db: Db, deploymentIds: readonly string[]): Promise<SlotRunRow[]> {
  if (deploymentIds.length === 0) return [];
  const runs = sql`
    select a.deployment_id as group_id, a.id, a.name, f.name as flow_name, a.state_type, a.state_name,
      coalesce(s.timestamp, a.updated_at) as since, a.next_scheduled_start_time as due
    from flow_runs a
    join flows f on f.id = a.flow_id
    left join flow_run_states s on s.id = a.state_id
    where a.state_name = 'AwaitingConcurrencySlot' and a.state_type = 'SCHEDULED'
      and a.deployment_id = any(${[...deploymentIds]}::uuid[])`;
  return (await firstOfEachGroup(runs, sql`r.due, r.id`).execute(db)).rows;
}
