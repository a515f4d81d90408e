import { isTerminalStateType, type FlowRun, type State } from "@sluice/contracts";
import { sql, type Kysely } from "kysely";
import type { AppDeps } from "../app-deps.js";
import type { Tables } from "../db/tables.js";

type Db = Kysely<Tables>;

/**
 * How long a deployment concurrency slot stays held without renewal. The claim takes it, each
 * flow-run heartbeat (every 5 s by default) and the RUNNING state renew it; a run whose process died
 * stops renewing, so its slot frees itself after this long even before the run is marked CRASHED.
 */
export const DEPLOYMENT_LEASE_SECONDS = 60;

/** When a lease taken or renewed at `now` expires. */
export function leaseExpiry(now: Date): Date {
  return new Date(now.getTime() + DEPLOYMENT_LEASE_SECONDS * 1000);
}

/**
 * The SQL count of slots of deployment `deploymentId` in use at `now`: its PENDING runs (claimed,
 * process not started yet; a lost worker's are rescheduled by the cancellation cleanup) and its
 * unexpired leases (kept alive by the runs' heartbeats).
 */
export function usedDeploymentSlots(deploymentId: ReturnType<typeof sql.ref>, now: Date) {
  return sql<number>`(select count(*)::int from (
      select a.id from flow_runs a where a.deployment_id = ${deploymentId} and a.state_type = 'PENDING'
      union
      select l.flow_run_id from concurrency_leases l
      where l.deployment_id = ${deploymentId} and l.expires_at > ${now}::timestamptz
    ) used)`;
}

/** Extends a run's lease (a heartbeat); nothing happens when it holds none. */
export async function renewLease(db: Db, flowRunId: string, now: Date): Promise<void> {
  await db
    .updateTable("concurrency_leases")
    .set({ expires_at: leaseExpiry(now) })
    .where("flow_run_id", "=", flowRunId)
    .execute();
}

/** Frees a run's slot; answers the deployment whose slot it was, or undefined when it held none. */
export async function releaseLease(db: Db, flowRunId: string): Promise<string | undefined> {
  const row = await db
    .deleteFrom("concurrency_leases")
    .where("flow_run_id", "=", flowRunId)
    .returning("deployment_id")
    .executeTakeFirst();
  return row?.deployment_id;
}

/** Deletes up to `limit` leases expired at `now`; answers the deployments whose slots they were. */
export async function deleteExpiredLeases(db: Db, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .deleteFrom("concurrency_leases")
    .where(
      "flow_run_id",
      "in",
      db.selectFrom("concurrency_leases").select("flow_run_id").where("expires_at", "<=", now).limit(limit),
    )
    .returning("deployment_id")
    .execute();
  return [...new Set(rows.map((row) => row.deployment_id))];
}

/**
 * Keeps a deployment run's lease in step with its state: a run that ends or goes back to SCHEDULED
 * frees its slot at once (announced, so a waiting worker claims the next run now); a run that
 * starts RUNNING renews it (its process may have taken long to start).
 */
export async function syncLeaseWithState(
  { db, clock, events }: Pick<AppDeps, "db" | "clock" | "events">,
  run: Pick<FlowRun, "id" | "deploymentId">,
  state: State,
): Promise<void> {
  if (run.deploymentId === null) return;
  if (isTerminalStateType(state.type) || state.type === "SCHEDULED") {
    const deploymentId = await releaseLease(db.db, run.id);
    if (deploymentId !== undefined) events.publish({ kind: "slot-released", deploymentId });
  } else if (state.type === "RUNNING") {
    await renewLease(db.db, run.id, clock.now());
  }
}
