import type { Worker, WorkPool, WorkPoolType, WorkQueue } from "@sluice/contracts";
import type { WorkerRow, WorkPoolRow, WorkQueueRow } from "../db/tables.js";

/** Every pool has this queue; runs go to it when no queue is named, and it cannot be deleted. */
export const DEFAULT_QUEUE_NAME = "default";

/** A worker is OFFLINE after this many heartbeat intervals without one (Prefect's foreman: 3). */
export const OFFLINE_AFTER_INTERVALS = 3;

/** A queue is NOT_READY when no worker polled it for this long (Prefect: 60 s). */
export const QUEUE_READY_SECONDS = 60;

/** Whether a worker that last beat at `lastHeartbeatAt` every `intervalSeconds` is ONLINE at `now`. */
export function isWorkerOnline(lastHeartbeatAt: Date, intervalSeconds: number, now: Date): boolean {
  return now.getTime() - lastHeartbeatAt.getTime() <= OFFLINE_AFTER_INTERVALS * intervalSeconds * 1000;
}

/** A pool row with how many of its workers are online. */
export type WorkPoolStatusRow = WorkPoolRow & { online_workers: number };

/** A pool row as the wire WorkPool; status: PAUSED, else READY when a worker is online. */
export function toWorkPool(row: WorkPoolStatusRow): WorkPool {
  return {
    id: row.id,
    name: row.name,
    type: row.type as WorkPoolType,
    description: row.description,
    baseJobTemplate: row.base_job_template,
    concurrencyLimit: row.concurrency_limit,
    paused: row.paused,
    status: row.paused ? "PAUSED" : row.online_workers > 0 ? "READY" : "NOT_READY",
    onlineWorkers: row.online_workers,
    defaultQueueName: DEFAULT_QUEUE_NAME,
    lastPolledAt: row.last_polled_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A queue row as the wire WorkQueue; PAUSED when it or its pool is, READY when polled lately. */
export function toWorkQueue(
  row: WorkQueueRow,
  pool: Pick<WorkPoolRow, "name" | "paused">,
  now: Date,
): WorkQueue {
  const polledLately =
    row.last_polled_at !== null && now.getTime() - row.last_polled_at.getTime() <= QUEUE_READY_SECONDS * 1000;
  return {
    id: row.id,
    name: row.name,
    workPoolName: pool.name,
    description: row.description,
    priority: row.priority,
    concurrencyLimit: row.concurrency_limit,
    paused: row.paused,
    status: row.paused || pool.paused ? "PAUSED" : polledLately ? "READY" : "NOT_READY",
    lastPolledAt: row.last_polled_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A worker row as the wire Worker, ONLINE or OFFLINE at `now`. */
export function toWorker(row: WorkerRow, poolName: string, now: Date): Worker {
  return {
    id: row.id,
    name: row.name,
    workPoolName: poolName,
    status: isWorkerOnline(row.last_heartbeat_at, row.heartbeat_interval_seconds, now) ? "ONLINE" : "OFFLINE",
    heartbeatIntervalSeconds: row.heartbeat_interval_seconds,
    lastHeartbeatAt: row.last_heartbeat_at.toISOString(),
    metadata: row.metadata,
    createdAt: row.created_at.toISOString(),
  };
}
