import type { DeploymentFilter } from "@sluice/contracts";
import { sql, type Insertable, type Kysely, type Updateable } from "kysely";
import { applyKeyset, byName, toPage, type SortOrder } from "../db/keyset.js";
import type {
  DeploymentScheduleRow,
  DeploymentSchedulesTable,
  DeploymentsTable,
  Tables,
} from "../db/tables.js";
import { escapeLike } from "../flows/flow-store.js";
import { toDeployment, type DeploymentJoinedRow } from "./deployment-rows.js";

type Db = Kysely<Tables>;

const SORTS: Record<NonNullable<DeploymentFilter["sort"]>, SortOrder> = {
  NAME_ASC: byName("d"),
  CREATED_DESC: {
    name: "CREATED_DESC",
    column: "d.created_at",
    idColumn: "d.id",
    direction: "desc",
    kind: "timestamp",
  },
};

/** Deployments joined with their flow's, pool's and queue's names. */
function selectDeployments(db: Db) {
  return db
    .selectFrom("deployments as d")
    .innerJoin("flows as f", "f.id", "d.flow_id")
    .leftJoin("work_pools as wp", "wp.id", "d.work_pool_id")
    .leftJoin("work_queues as wq", "wq.id", "d.work_queue_id")
    .selectAll("d")
    .select(["f.name as flow_name", "wp.name as work_pool_name", "wq.name as work_queue_name"]);
}

/** The pool named `name` (id only), or undefined. */
export async function findWorkPoolId(db: Db, name: string): Promise<string | undefined> {
  const row = await db.selectFrom("work_pools").select("id").where("name", "=", name).executeTakeFirst();
  return row?.id;
}

/** The queue `name` of a pool (id only), or undefined. */
export async function findWorkQueueId(db: Db, poolId: string, name: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("work_queues")
    .select("id")
    .where("work_pool_id", "=", poolId)
    .where("name", "=", name)
    .executeTakeFirst();
  return row?.id;
}

/** The deployment row of a flow by name, locked for the upsert's transaction, or undefined. */
export async function lockDeploymentRow(db: Db, flowId: string, name: string) {
  return db
    .selectFrom("deployments")
    .selectAll()
    .where("flow_id", "=", flowId)
    .where("name", "=", name)
    .forUpdate()
    .executeTakeFirst();
}

/** Inserts the deployment or replaces the one with its flow and name; answers the stored row. */
export async function upsertDeploymentRow(db: Db, row: Insertable<DeploymentsTable>) {
  const { id: _id, created_at: _created, flow_id: _flow, name: _name, ...replaced } = row;
  return db
    .insertInto("deployments")
    .values(row)
    .onConflict((oc) => oc.columns(["flow_id", "name"]).doUpdateSet(replaced))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Updates columns of a deployment; false when it does not exist. */
export async function updateDeploymentRow(db: Db, id: string, updates: Updateable<DeploymentsTable>) {
  const result = await db.updateTable("deployments").set(updates).where("id", "=", id).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Deletes a deployment (its schedules and leases cascade; its runs keep a null deployment). */
export async function deleteDeploymentRow(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom("deployments").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The schedules of these deployments, oldest first. */
export async function listScheduleRows(
  db: Db,
  deploymentIds: readonly string[],
): Promise<DeploymentScheduleRow[]> {
  if (deploymentIds.length === 0) return [];
  return db
    .selectFrom("deployment_schedules")
    .selectAll()
    .where(sql<boolean>`deployment_id = any(${[...deploymentIds]}::uuid[])`)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

/** Adds schedules. */
export async function insertScheduleRows(
  db: Db,
  rows: Insertable<DeploymentSchedulesTable>[],
): Promise<void> {
  if (rows.length > 0) await db.insertInto("deployment_schedules").values(rows).execute();
}

/** Removes schedules by id. */
export async function deleteScheduleRows(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .deleteFrom("deployment_schedules")
    .where(sql<boolean>`id = any(${[...ids]}::uuid[])`)
    .execute();
}

/** The joined deployment row with this id, or undefined. */
export async function findDeploymentRow(db: Db, id: string): Promise<DeploymentJoinedRow | undefined> {
  return selectDeployments(db).where("d.id", "=", id).executeTakeFirst();
}

/** The joined deployment row of a flow by both names, or undefined. */
export async function findDeploymentRowByName(db: Db, flowName: string, name: string) {
  return selectDeployments(db).where("f.name", "=", flowName).where("d.name", "=", name).executeTakeFirst();
}

type Filter = DeploymentFilter & { limit: number; sort: keyof typeof SORTS };

/** A page of deployments with their schedules. */
export async function listDeployments(db: Db, filter: Filter) {
  const order = SORTS[filter.sort];
  let query = selectDeployments(db);
  if (filter.flowNames) query = query.where(sql<boolean>`f.name = any(${[...filter.flowNames]}::text[])`);
  if (filter.workPoolNames) {
    query = query.where(sql<boolean>`wp.name = any(${[...filter.workPoolNames]}::text[])`);
  }
  if (filter.nameLike) query = query.where("d.name", "ilike", `%${escapeLike(filter.nameLike)}%`);
  if (filter.paused !== undefined) query = query.where("d.paused", "=", filter.paused);
  const rows = await applyKeyset(query, order, filter.cursor, filter.limit).execute();
  const schedules = await listScheduleRows(
    db,
    rows.slice(0, filter.limit).map((row) => row.id),
  );
  const byDeployment = groupByDeployment(schedules);
  return toPage(
    rows,
    filter.limit,
    order,
    (row) => (order.kind === "text" ? row.name : row.created_at),
    (row) => row.id,
    (row) => toDeployment(row, byDeployment.get(row.id) ?? []),
  );
}

/**
 * Unpaused deployments with an active schedule, in id order after `afterId` (a page of the
 * scheduler's pass), optionally only those in `ids`; with their active schedules.
 */
export async function listSchedulableDeployments(
  db: Db,
  page: { afterId: string | undefined; limit: number; ids: readonly string[] | undefined },
) {
  let query = selectDeployments(db)
    .where("d.paused", "=", false)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("deployment_schedules as ds")
          .select("ds.id")
          .whereRef("ds.deployment_id", "=", "d.id")
          .where("ds.active", "=", true),
      ),
    )
    .orderBy("d.id")
    .limit(page.limit);
  if (page.afterId) query = query.where("d.id", ">", page.afterId);
  if (page.ids) query = query.where(sql<boolean>`d.id = any(${[...page.ids]}::uuid[])`);
  const deployments = await query.execute();
  const schedules = (
    await listScheduleRows(
      db,
      deployments.map((d) => d.id),
    )
  ).filter((s) => s.active);
  const byDeployment = groupByDeployment(schedules);
  return deployments.map((row) => ({ row, schedules: byDeployment.get(row.id) ?? [] }));
}

function groupByDeployment(
  schedules: readonly DeploymentScheduleRow[],
): Map<string, DeploymentScheduleRow[]> {
  const groups = new Map<string, DeploymentScheduleRow[]>();
  for (const schedule of schedules) {
    const group = groups.get(schedule.deployment_id);
    if (group) group.push(schedule);
    else groups.set(schedule.deployment_id, [schedule]);
  }
  return groups;
}
