import { z } from "zod";
import { Timestamp } from "./common.js";
import { CollisionStrategy } from "./deployments.js";
import { StateType } from "./states.js";
import { ResourceName } from "./work-pools.js";

/** Most holders and most waiters listed per limit; `inUse` and `waiting` count them all. */
export const MAX_LISTED_SLOT_RUNS = 20;

/** What a concurrency limit bounds: a deployment's runs, a work pool's, or a work queue's. */
export const ConcurrencyLimitKind = z.enum(["deployment", "work-pool", "work-queue"]);
export type ConcurrencyLimitKind = z.infer<typeof ConcurrencyLimitKind>;

/** A flow run holding a slot, or waiting for one. */
export const ConcurrencySlotRun = z.object({
  flowRunId: z.uuid(),
  flowRunName: z.string(),
  flowName: z.string(),
  stateType: StateType.nullable(),
  stateName: z.string().nullable(),
  /**
   * Holders: when the run took the slot (claimed; for a running run of a pool or queue, when it
   * started). Waiters: since when it waits (marked AwaitingConcurrencySlot, or due).
   */
  since: Timestamp,
});
export type ConcurrencySlotRun = z.infer<typeof ConcurrencySlotRun>;

/**
 * One concurrency limit and its slots. Deployments and queues appear when they have a limit; work
 * pools always appear (`limit` null: no limit), since every deployment's run passes through one.
 */
export const ConcurrencyLimitUsage = z.object({
  kind: ConcurrencyLimitKind,
  /** The deployment's, pool's or queue's id. */
  id: z.uuid(),
  /** `flow/deployment` for a deployment, else the pool's or queue's name. */
  name: z.string(),
  /** The pool of a queue or a deployment (null: a deployment without a pool). */
  workPoolName: ResourceName.nullable(),
  limit: z.number().int().min(0).nullable(),
  /** A deployment's: ENQUEUE (wait as AwaitingConcurrencySlot) or CANCEL_NEW; null otherwise. */
  collisionStrategy: CollisionStrategy.nullable(),
  paused: z.boolean(),
  /**
   * Slots taken. A deployment's: its PENDING runs and unexpired leases (kept by heartbeats); a
   * pool's or queue's: its PENDING, RUNNING and CANCELLING runs.
   */
  inUse: z.number().int().min(0),
  /**
   * Runs waiting. A deployment's: its runs in AwaitingConcurrencySlot; a pool's or queue's: its
   * SCHEDULED runs that are due (they wait for a slot, a worker, or a resume).
   */
  waiting: z.number().int().min(0),
  /** The first MAX_LISTED_SLOT_RUNS holders, longest held first. */
  holders: z.array(ConcurrencySlotRun),
  /** The first MAX_LISTED_SLOT_RUNS waiters, in the order they are served. */
  waiters: z.array(ConcurrencySlotRun),
});
export type ConcurrencyLimitUsage = z.infer<typeof ConcurrencyLimitUsage>;

/** Scopes the overview to one pool: the pool, its queues, and the deployments that use it. */
export const ConcurrencyQuery = z.object({ workPool: ResourceName.optional() });

/** Every concurrency limit with who holds its slots and who waits; at most 500 limits of each kind. */
export const ConcurrencyOverview = z.object({
  limits: z.array(ConcurrencyLimitUsage),
  /** True when a kind had more than 500 limits and the rest were left out. */
  truncated: z.boolean(),
});
export type ConcurrencyOverview = z.infer<typeof ConcurrencyOverview>;
