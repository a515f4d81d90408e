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
import type { DeploymentLimitRow, PoolLimitRow, QueueLimitRow, SlotRunRow } from "./concurrency-store.js";

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

type Groups = Map<string, SlotRunRow[]>;

/** A deployment's limit with its lease holders and AwaitingConcurrencySlot waiters. */
function deploymentUsage(d: DeploymentLimitRow, holders: Groups, waiters: Groups): ConcurrencyLimitUsage {
  const held = holders.get(d.id) ?? [];
  const waiting = waiters.get(d.id) ?? [];
  return {
    kind: "deployment",
    id: d.id,
    name: d.name,
    workPoolName: d.work_pool_name,
    limit: d.concurrency_limit,
    collisionStrategy: d.collision_strategy as CollisionStrategy,
    paused: d.paused,
    inUse: total(held),
    waiting: total(waiting),
    holders: held.map(toSlotRun),
    waiters: waiting.map(toSlotRun),
  };
}

/** A pool's usage (the sum of its queues') and each of its limited queues'. */
function poolUsages(
  pool: PoolLimitRow,
  queues: readonly QueueLimitRow[],
  holders: Groups,
  waiters: Groups,
): ConcurrencyLimitUsage[] {
  const own = queues.filter((q) => q.work_pool_id === pool.id);
  const priority = new Map(own.map((q) => [q.id, q.priority]));
  const held = own.flatMap((q) => holders.get(q.id) ?? []);
  const waiting = own.flatMap((q) => waiters.get(q.id) ?? []);
  // Across queues: held longest first; waiting in the claim's order (priority, then due).
  held.sort((a, b) => a.since.getTime() - b.since.getTime() || a.id.localeCompare(b.id));
  waiting.sort(
    (a, b) =>
      (priority.get(a.group_id) ?? 0) - (priority.get(b.group_id) ?? 0) ||
      (a.due?.getTime() ?? 0) - (b.due?.getTime() ?? 0) ||
      a.id.localeCompare(b.id),
  );
  const usages: ConcurrencyLimitUsage[] = [
    {
      kind: "work-pool",
      id: pool.id,
      name: pool.name,
      workPoolName: pool.name,
      limit: pool.concurrency_limit,
      collisionStrategy: null,
      paused: pool.paused,
      inUse: own.reduce((sum, q) => sum + total(holders.get(q.id)), 0),
      waiting: own.reduce((sum, q) => sum + total(waiters.get(q.id)), 0),
      holders: held.slice(0, MAX_LISTED_SLOT_RUNS).map(toSlotRun),
      waiters: waiting.slice(0, MAX_LISTED_SLOT_RUNS).map(toSlotRun),
    },
  ];
  for (const queue of own) {
    if (queue.concurrency_limit === null) continue;
    usages.push({
      kind: "work-queue",
      id: queue.id,
      name: queue.name,
      workPoolName: pool.name,
      limit: queue.concurrency_limit,
      collisionStrategy: null,
      paused: queue.paused,
      inUse: total(holders.get(queue.id)),
      waiting: total(waiters.get(queue.id)),
      holders: (holders.get(queue.id) ?? []).map(toSlotRun),
      waiters: (waiters.get(queue.id) ?? []).map(toSlotRun),
    });
  }
  return usages;
}

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
      return {
        limits: [
          ...shownDeployments.map((d) => deploymentUsage(d, deploymentHolders, deploymentWaiters)),
          ...shownPools.flatMap((pool) => poolUsages(pool, queues, queueHolders, queueWaiters)),
        ],
        truncated,
      };
    },
  };
}

/** The concurrency use cases. */
export type ConcurrencyService = ReturnType<typeof createConcurrencyService>;
