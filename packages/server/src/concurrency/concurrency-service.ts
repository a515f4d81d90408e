import {
  MAX_LISTED_SLOT_RUNS,
  type CollisionStrategy,
  type ConcurrencyLimitUsage,
  type ConcurrencyOverview,
  type ConcurrencySlotRun,
  type StateType,
} from "@sluice/contracts";
import type { AppDeps } from "../app-deps.js";
import { NotFoundError } from "../http/errors.js";
import * as store from "./concurrency-store.js";
import type { SlotRunRow } from "./concurrency-store.js";

function toSlotRun(row: SlotRunRow): ConcurrencySlotRun {
  return {
    flowRunId: row.id,
    flowRunName: row.name,
    flowName: row.flow_name,
    stateType: row.state_type as StateType | null,
    stateName: row.state_name,
    since: row.since.toISOString(),
  };
}

/** Rows by group id, in the order read. */
function byGroup(rows: readonly SlotRunRow[]): Map<string, SlotRunRow[]> {
  const groups = new Map<string, SlotRunRow[]>();
  for (const row of rows) {
    const group = groups.get(row.group_id);
    if (group) group.push(row);
    else groups.set(row.group_id, [row]);
  }
  return groups;
}

const total = (rows: readonly SlotRunRow[] | undefined) => rows?.[0]?.total ?? 0;

/** The concurrency overview: every limit, who holds its slots and who waits for them. */
export function createConcurrencyService({ db, clock }: Pick<AppDeps, "db" | "clock">) {
  return {
    async read(query: { workPool?: string | undefined }): Promise<ConcurrencyOverview> {
      const now = clock.now();
      const pools = await store.findPools(db.db, query.workPool);
      if (query.workPool !== undefined && pools.length === 0) {
        throw new NotFoundError("work_pool_not_found", `work pool ${query.workPool} not found`, {
          pool: query.workPool,
        });
      }
      const deployments = await store.findLimitedDeployments(db.db, query.workPool);
      const truncated =
        pools.length > store.MAX_LIMITS_PER_KIND || deployments.length > store.MAX_LIMITS_PER_KIND;
      const shownPools = pools.slice(0, store.MAX_LIMITS_PER_KIND);
      const shownDeployments = deployments.slice(0, store.MAX_LIMITS_PER_KIND);
      const queues = await store.findQueues(
        db.db,
        shownPools.map((p) => p.id),
      );
      const queueIds = queues.map((q) => q.id);
      const deploymentIds = shownDeployments.map((d) => d.id);
      const [queueHolders, queueWaiters, deploymentHolders, deploymentWaiters] = await Promise.all([
        store.findQueueHolders(db.db, queueIds).then(byGroup),
        store.findQueueWaiters(db.db, queueIds, now).then(byGroup),
        store.findDeploymentHolders(db.db, deploymentIds, now).then(byGroup),
        store.findDeploymentWaiters(db.db, deploymentIds).then(byGroup),
      ]);
      const limits: ConcurrencyLimitUsage[] = [];
      for (const d of shownDeployments) {
        const holders = deploymentHolders.get(d.id) ?? [];
        const waiters = deploymentWaiters.get(d.id) ?? [];
        limits.push({
          kind: "deployment",
          id: d.id,
          name: d.name,
          workPoolName: d.work_pool_name,
          limit: d.concurrency_limit,
          collisionStrategy: d.collision_strategy as CollisionStrategy,
          paused: d.paused,
          inUse: total(holders),
          waiting: total(waiters),
          holders: holders.map(toSlotRun),
          waiters: waiters.map(toSlotRun),
        });
      }
      for (const pool of shownPools) {
        const own = queues.filter((q) => q.work_pool_id === pool.id);
        const priority = new Map(own.map((q) => [q.id, q.priority]));
        const holders = own.flatMap((q) => queueHolders.get(q.id) ?? []);
        const waiters = own.flatMap((q) => queueWaiters.get(q.id) ?? []);
        // Across queues: held longest first; waiting in the claim's order (priority, then due).
        holders.sort((a, b) => a.since.getTime() - b.since.getTime() || a.id.localeCompare(b.id));
        waiters.sort(
          (a, b) =>
            (priority.get(a.group_id) ?? 0) - (priority.get(b.group_id) ?? 0) ||
            (a.due?.getTime() ?? 0) - (b.due?.getTime() ?? 0) ||
            a.id.localeCompare(b.id),
        );
        limits.push({
          kind: "work-pool",
          id: pool.id,
          name: pool.name,
          workPoolName: pool.name,
          limit: pool.concurrency_limit,
          collisionStrategy: null,
          paused: pool.paused,
          inUse: own.reduce((sum, q) => sum + total(queueHolders.get(q.id)), 0),
          waiting: own.reduce((sum, q) => sum + total(queueWaiters.get(q.id)), 0),
          holders: holders.slice(0, MAX_LISTED_SLOT_RUNS).map(toSlotRun),
          waiters: waiters.slice(0, MAX_LISTED_SLOT_RUNS).map(toSlotRun),
        });
        for (const queue of own) {
          if (queue.concurrency_limit === null) continue;
          limits.push({
            kind: "work-queue",
            id: queue.id,
            name: queue.name,
            workPoolName: pool.name,
            limit: queue.concurrency_limit,
            collisionStrategy: null,
            paused: queue.paused,
            inUse: total(queueHolders.get(queue.id)),
            waiting: total(queueWaiters.get(queue.id)),
            holders: (queueHolders.get(queue.id) ?? []).map(toSlotRun),
            waiters: (queueWaiters.get(queue.id) ?? []).map(toSlotRun),
          });
        }
      }
      return { limits, truncated };
    },
  };
}

/** The concurrency use cases. */
export type ConcurrencyService = ReturnType<typeof createConcurrencyService>;
