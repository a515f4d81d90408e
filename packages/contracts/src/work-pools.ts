import { z } from "zod";
import { JsonObject, Page, PageRequest, Timestamp } from "./common.js";
import { FlowRun } from "./flow-runs.js";

/** Names of pools, queues and workers: short, no slashes, so they fit in paths. */
export const ResourceName = z
  .string()
  .min(1)
  .max(100)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    "use letters, digits, '.', '_' and '-', starting with a letter or digit",
  );

/** The infrastructure a pool's workers run flow runs on. */
export const WorkPoolType = z.enum(["process", "docker", "kubernetes"]);
export type WorkPoolType = z.infer<typeof WorkPoolType>;

/**
 * How a pool's jobs are built. `variables` is a JSON schema (its defaults are the pool's defaults;
 * a deployment's job variables override them); `jobConfiguration` refers to them as `{{ name }}`.
 */
export const BaseJobTemplate = z.object({
  variables: JsonObject,
  jobConfiguration: JsonObject,
});
export type BaseJobTemplate = z.infer<typeof BaseJobTemplate>;

/** READY when a worker is online, NOT_READY when none is, PAUSED when paused. */
export const WorkPoolStatus = z.enum(["READY", "NOT_READY", "PAUSED"]);

export const WorkPool = z.object({
  id: z.uuid(),
  name: ResourceName,
  type: WorkPoolType,
  description: z.string().nullable(),
  baseJobTemplate: BaseJobTemplate,
  /** Most flow runs of the pool PENDING or RUNNING at once (null: no limit). */
  concurrencyLimit: z.number().int().min(0).nullable(),
  paused: z.boolean(),
  status: WorkPoolStatus,
  /** Workers ONLINE now (a heartbeat within three of their intervals). */
  onlineWorkers: z.number().int().min(0),
  /** The queue runs go to when no queue is named. */
  defaultQueueName: z.string(),
  lastPolledAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type WorkPool = z.infer<typeof WorkPool>;

/** Creates a pool with its `default` queue; the template defaults to the type's. */
export const WorkPoolCreate = z.strictObject({
  name: ResourceName,
  type: WorkPoolType.default("process"),
  description: z.string().max(2000).nullable().optional(),
  baseJobTemplate: BaseJobTemplate.optional(),
  concurrencyLimit: z.number().int().min(0).nullable().optional(),
  paused: z.boolean().default(false),
});
export type WorkPoolCreate = z.input<typeof WorkPoolCreate>;

export const WorkPoolUpdate = z.strictObject({
  description: z.string().max(2000).nullable().optional(),
  baseJobTemplate: BaseJobTemplate.optional(),
  concurrencyLimit: z.number().int().min(0).nullable().optional(),
  paused: z.boolean().optional(),
});
export type WorkPoolUpdate = z.input<typeof WorkPoolUpdate>;

export const WorkPoolFilter = PageRequest.extend({
  names: z.array(ResourceName).max(100).optional(),
  types: z.array(WorkPoolType).optional(),
});
export type WorkPoolFilter = z.input<typeof WorkPoolFilter>;
export const WorkPoolPage = Page(WorkPool);
export type WorkPoolPage = z.infer<typeof WorkPoolPage>;

/** Path parameters naming a pool. */
export const WorkPoolParams = z.object({ pool: ResourceName });
/** Path parameters naming a queue of a pool. */
export const WorkQueueParams = z.object({ pool: ResourceName, queue: ResourceName });
/** Path parameters naming a pool type. */
export const WorkPoolTypeParams = z.object({ type: WorkPoolType });

/** READY when polled in the last 60 s, NOT_READY otherwise, PAUSED when it or its pool is paused. */
export const WorkQueueStatus = z.enum(["READY", "NOT_READY", "PAUSED"]);

export const WorkQueue = z.object({
  id: z.uuid(),
  name: ResourceName,
  workPoolName: ResourceName,
  description: z.string().nullable(),
  /** Lower is served first; 1 is the highest. */
  priority: z.number().int().min(1),
  concurrencyLimit: z.number().int().min(0).nullable(),
  paused: z.boolean(),
  status: WorkQueueStatus,
  lastPolledAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type WorkQueue = z.infer<typeof WorkQueue>;

export const WorkQueueCreate = z.strictObject({
  name: ResourceName,
  description: z.string().max(2000).nullable().optional(),
  /** Default: one lower than the pool's lowest-priority queue. */
  priority: z.number().int().min(1).optional(),
  concurrencyLimit: z.number().int().min(0).nullable().optional(),
  paused: z.boolean().default(false),
});
export type WorkQueueCreate = z.input<typeof WorkQueueCreate>;

export const WorkQueueUpdate = z.strictObject({
  description: z.string().max(2000).nullable().optional(),
  priority: z.number().int().min(1).optional(),
  concurrencyLimit: z.number().int().min(0).nullable().optional(),
  paused: z.boolean().optional(),
});
export type WorkQueueUpdate = z.input<typeof WorkQueueUpdate>;

export const WorkQueueList = z.object({ items: z.array(WorkQueue) });
export type WorkQueueList = z.infer<typeof WorkQueueList>;

/** ONLINE while heartbeats arrive; OFFLINE after three intervals without one. */
export const WorkerStatus = z.enum(["ONLINE", "OFFLINE"]);

export const Worker = z.object({
  id: z.uuid(),
  name: ResourceName,
  workPoolName: ResourceName,
  status: WorkerStatus,
  heartbeatIntervalSeconds: z.number().int().min(1),
  lastHeartbeatAt: Timestamp,
  metadata: JsonObject,
  createdAt: Timestamp,
});
export type Worker = z.infer<typeof Worker>;

export const WorkerHeartbeat = z.strictObject({
  name: ResourceName,
  heartbeatIntervalSeconds: z.number().int().min(1).max(3600).default(10),
  /** Facts shown in the UI: host, pid, version, limit. */
  metadata: JsonObject.default({}),
});
export type WorkerHeartbeat = z.infer<typeof WorkerHeartbeat>;

export const WorkerList = z.object({ items: z.array(Worker) });
export type WorkerList = z.infer<typeof WorkerList>;

/** Workers of every pool (or of the named pools), by pool name then worker name. */
export const WorkerFilter = z.strictObject({
  workPoolNames: z.array(ResourceName).max(100).optional(),
  /** Most workers answered (default 200). */
  limit: z.number().int().min(1).max(1000).default(200),
});
export type WorkerFilter = z.input<typeof WorkerFilter>;

/**
 * A worker asks for due runs. The server claims at most `limit` runs atomically (never one run for
 * two workers), honouring queue priority and the pool, queue and deployment concurrency limits.
 * When none is due it holds the request up to `waitMs`, answering as soon as one becomes due.
 */
export const ClaimRequest = z.strictObject({
  workerName: ResourceName,
  /** Queues to serve (default: all of the pool's). */
  queues: z.array(ResourceName).max(100).optional(),
  limit: z.number().int().min(1).max(1000).default(10),
  /** Also claim runs due within this many seconds, so their process starts on time. */
  prefetchSeconds: z.number().min(0).max(300).default(10),
  /** Long-poll: wait up to this long for a run when none is due (0 answers at once). */
  waitMs: z.number().int().min(0).max(60_000).default(0),
  /** Runs this worker is executing; the answer lists which of them are to be cancelled. */
  runningFlowRunIds: z.array(z.uuid()).max(10_000).default([]),
});
export type ClaimRequest = z.input<typeof ClaimRequest>;

/** What a worker needs to launch a claimed run. */
export const ClaimedFlowRun = z.object({
  /** The run, now PENDING and assigned to the worker. */
  flowRun: FlowRun,
  /** The deployment's entrypoint, relative to `path`. */
  entrypoint: z.string().nullable(),
  path: z.string().nullable(),
  deploymentName: z.string().nullable(),
});
export type ClaimedFlowRun = z.infer<typeof ClaimedFlowRun>;

export const ClaimResponse = z.object({
  workPool: WorkPool,
  runs: z.array(ClaimedFlowRun),
  /** Of `runningFlowRunIds`, those now CANCELLING: stop them. */
  cancel: z.array(z.uuid()),
});
export type ClaimResponse = z.infer<typeof ClaimResponse>;
