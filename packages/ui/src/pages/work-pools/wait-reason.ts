import type { ConcurrencyLimitUsage, FlowRun, WorkPool, WorkQueue, Worker } from "@sluice/contracts";
import { formatTime } from "../../lib/format.js";

/** What a pool page knows when it explains why a run of the pool has not started. */
export interface WaitContext {
  readonly pool: WorkPool;
  readonly queues: readonly WorkQueue[];
  /** Workers of the pool, with their status as of `now`. */
  readonly workers: readonly Worker[];
  /** The pool's concurrency overview: the pool, its limited queues and deployments. */
  readonly limits: readonly ConcurrencyLimitUsage[];
  readonly now: number;
}

const full = (usage: ConcurrencyLimitUsage | undefined) =>
  usage !== undefined && usage.limit !== null && usage.inUse >= usage.limit;

const slots = (usage: ConcurrencyLimitUsage) => `${usage.inUse} of ${usage.limit} slots in use`;

/**
 * Why a SCHEDULED or PENDING run of the pool waits, in the order a claim would stop it: not due
 * yet, claimed and starting, waiting for a deployment slot, a paused pool or queue, a full pool,
 * queue or deployment, no worker online. Undefined when nothing holds it back (the next claim
 * takes it).
 */
export function waitReason(run: FlowRun, ctx: WaitContext): string | undefined {
  const due = run.nextScheduledStartTime ?? run.expectedStartTime;
  if (run.stateType === "PENDING") {
    const worker = ctx.workers.find((w) => w.id === run.workerId);
    const by = worker ? `worker ${worker.name}` : "a worker";
    if (new Date(run.expectedStartTime).getTime() > ctx.now) {
      return `claimed ahead of time by ${by}; starts at ${formatTime(run.expectedStartTime)}`;
    }
    if (worker && worker.status === "OFFLINE") return `claimed by ${by}, which is offline`;
    return `claimed by ${by}; its process is starting`;
  }
  if (run.stateType !== "SCHEDULED") return undefined;
  if (new Date(due).getTime() > ctx.now) return `scheduled for ${formatTime(due)}`;
  const deployment = ctx.limits.find((l) => l.kind === "deployment" && l.id === run.deploymentId);
  if (run.stateName === "AwaitingConcurrencySlot") {
    return deployment
      ? `waiting for a slot of deployment ${deployment.name} (${slots(deployment)})`
      : (run.state?.message ?? "waiting for a deployment concurrency slot");
  }
  if (ctx.pool.paused) return "the work pool is paused";
  const queue = ctx.queues.find((q) => q.name === run.workQueueName);
  if (queue?.paused) return `queue ${queue.name} is paused`;
  const poolUsage = ctx.limits.find((l) => l.kind === "work-pool");
  if (poolUsage && full(poolUsage)) return `the pool's concurrency limit is reached (${slots(poolUsage)})`;
  const queueUsage = ctx.limits.find((l) => l.kind === "work-queue" && l.name === run.workQueueName);
  if (queueUsage && full(queueUsage)) {
    return `queue ${queueUsage.name}'s concurrency limit is reached (${slots(queueUsage)})`;
  }
  if (deployment && full(deployment)) {
    return `deployment ${deployment.name}'s concurrency limit is reached (${slots(deployment)})`;
  }
  if (!ctx.workers.some((w) => w.status === "ONLINE")) return "no worker of the pool is online";
  return undefined;
}
