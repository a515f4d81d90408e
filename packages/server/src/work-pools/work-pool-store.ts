import type { WorkPoolFilter } from "@sluice/contracts";
import { sql, type Insertable, type Kysely, type Updateable } from "kysely";
import { applyKeyset, byName, toPage } from "../db/keyset.js";
import type { Tables, WorkPoolsTable, WorkQueuesTable, WorkerRow, WorkQueueRow } from "../db/tables.js";
import { newId } from "../ids.js";
import { DEFAULT_QUEUE_NAME, OFFLINE_AFTER_INTERVALS, type WorkPoolStatusRow } from "./work-pool-rows.js";

type Db = Kysely<Tables>;

const BY_NAME = byName("p");

/** How many workers of pool `p` beat within three of their intervals before `now`. */
function onlineWorkers(now: Date) {
  return sql<number>`(
    select count(*)::int from workers w
    where w.work_pool_id = p.id
      and w.last_heartbeat_at >= ${now}::timestamptz
        - make_interval(secs => ${OFFLINE_AFTER_INTERVALS} * w.heartbeat_interval_seconds))`.as(
    "online_workers",
  );
}

function selectPools(db: Db, now: Date) {
  return db.selectFrom("work_pools as p").selectAll("p").select(onlineWorkers(now));
}

/** Inserts a pool and its default queue in one statement; undefined when the name is taken. */
export async function insertWorkPool(db: Db, pool: Insertable<WorkPoolsTable>): Promise<boolean> {
  const result = await db
    .with("pool", (qb) =>
      qb
        .insertInto("work_pools")
        .values(pool)
        .onConflict((oc) => oc.column("name").doNothing())
        .returning("id"),
    )
    .insertInto("work_queues")
    .columns(["id", "work_pool_id", "name", "priority", "created_at", "updated_at"])
    .expression((eb) =>
      eb
        .selectFrom("pool")
        .select([
          sql<string>`${newId()}::uuid`.as("id"),
          "pool.id",
          sql<string>`${DEFAULT_QUEUE_NAME}`.as("name"),
          sql<number>`1`.as("priority"),
          sql<Date>`${pool.created_at}::timestamptz`.as("created_at"),
          sql<Date>`${pool.updated_at}::timestamptz`.as("updated_at"),
        ]),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** The pool named `name` with its status facts, or undefined. */
export async function findWorkPool(db: Db, name: string, now: Date): Promise<WorkPoolStatusRow | undefined> {
  return selectPools(db, now).where("p.name", "=", name).executeTakeFirst();
}

/** Changes a pool; false when it does not exist. */
export async function updateWorkPool(
  db: Db,
  name: string,
  updates: Updateable<WorkPoolsTable>,
): Promise<boolean> {
  const result = await db.updateTable("work_pools").set(updates).where("name", "=", name).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Deletes a pool (its queues and workers cascade); false when it does not exist. */
export async function deleteWorkPool(db: Db, name: string): Promise<boolean> {
  const result = await db.deleteFrom("work_pools").where("name", "=", name).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

type Filter = WorkPoolFilter & { limit: number };

/** A page of pools by name. */
export async function listWorkPools(db: Db, filter: Filter, now: Date) {
  let query = selectPools(db, now);
  if (filter.names) query = query.where(sql<boolean>`p.name = any(${[...filter.names]}::text[])`);
  if (filter.types) query = query.where(sql<boolean>`p.type = any(${[...filter.types]}::text[])`);
  const rows = await applyKeyset(query, BY_NAME, filter.cursor, filter.limit).execute();
  return toPage(
    rows,
    filter.limit,
    BY_NAME,
    (row) => row.name,
    (row) => row.id,
    (row) => row,
  );
}

/**
 * Inserts a queue; without a priority it goes one past the pool's largest (served last).
 * False when the pool already has a queue of that name.
 */
export async function insertWorkQueue(
  db: Db,
  queue: Omit<Insertable<WorkQueuesTable>, "priority"> & { priority?: number | undefined },
): Promise<boolean> {
  const priority =
    queue.priority ??
    sql<number>`(select coalesce(max(priority), 0) + 1 from work_queues where work_pool_id = ${queue.work_pool_id}::uuid)`;
  const result = await db
    .insertInto("work_queues")
    .values({ ...queue, priority })
    .onConflict((oc) => oc.columns(["work_pool_id", "name"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** The queue `name` of a pool, or undefined. */
export async function findWorkQueue(db: Db, poolId: string, name: string): Promise<WorkQueueRow | undefined> {
  return db
    .selectFrom("work_queues")
    .selectAll()
    .where("work_pool_id", "=", poolId)
    .where("name", "=", name)
    .executeTakeFirst();
}

/** A pool's queues by priority, then name. */
export async function listWorkQueues(db: Db, poolId: string): Promise<WorkQueueRow[]> {
  return db
    .selectFrom("work_queues")
    .selectAll()
    .where("work_pool_id", "=", poolId)
    .orderBy("priority")
    .orderBy("name")
    .execute();
}

/** Changes a queue; false when it does not exist. */
export async function updateWorkQueue(
  db: Db,
  poolId: string,
  name: string,
  updates: Updateable<WorkQueuesTable>,
): Promise<boolean> {
  const result = await db
    .updateTable("work_queues")
    .set(updates)
    .where("work_pool_id", "=", poolId)
    .where("name", "=", name)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Deletes a queue; false when it does not exist. */
export async function deleteWorkQueue(db: Db, poolId: string, name: string): Promise<boolean> {
  const result = await db
    .deleteFrom("work_queues")
    .where("work_pool_id", "=", poolId)
    .where("name", "=", name)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** What a worker says about itself when it beats. */
export interface WorkerBeat {
  readonly poolId: string;
  readonly name: string;
  /** Seconds between beats; undefined keeps the known interval (10 s for a new worker). */
  readonly heartbeatIntervalSeconds: number | undefined;
  /** undefined keeps the known metadata. */
  readonly metadata: Record<string, unknown> | undefined;
  readonly now: Date;
}

/** Registers a worker or records its heartbeat (one statement); answers its row. */
export async function upsertWorker(db: Db, beat: WorkerBeat): Promise<WorkerRow> {
  return db
    .insertInto("workers")
    .values({
      id: newId(beat.now.getTime()),
      work_pool_id: beat.poolId,
      name: beat.name,
      heartbeat_interval_seconds: beat.heartbeatIntervalSeconds ?? 10,
      last_heartbeat_at: beat.now,
      metadata: JSON.stringify(beat.metadata ?? {}),
      created_at: beat.now,
      updated_at: beat.now,
    })
    .onConflict((oc) =>
      oc.columns(["work_pool_id", "name"]).doUpdateSet((eb) => ({
        last_heartbeat_at: eb.ref("excluded.last_heartbeat_at"),
        updated_at: eb.ref("excluded.updated_at"),
        ...(beat.heartbeatIntervalSeconds === undefined
          ? {}
          : { heartbeat_interval_seconds: eb.ref("excluded.heartbeat_interval_seconds") }),
        ...(beat.metadata === undefined ? {} : { metadata: eb.ref("excluded.metadata") }),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A pool's workers by name. */
export async function listWorkers(db: Db, poolId: string): Promise<WorkerRow[]> {
  return db.selectFrom("workers").selectAll().where("work_pool_id", "=", poolId).orderBy("name").execute();
}

/** Workers of every pool (or of the named pools) with their pool's name, by pool name then worker name. */
export async function listAllWorkers(
  db: Db,
  filter: { workPoolNames?: readonly string[] | undefined; limit: number },
): Promise<(WorkerRow & { pool_name: string })[]> {
  let q = db
    .selectFrom("workers as w")
    .innerJoin("work_pools as p", "p.id", "w.work_pool_id")
    .selectAll("w")
    .select("p.name as pool_name")
    .orderBy("p.name")
    .orderBy("w.name")
    .limit(filter.limit);
  if (filter.workPoolNames) q = q.where(sql<boolean>`p.name = any(${[...filter.workPoolNames]}::text[])`);
  return q.execute();
}
