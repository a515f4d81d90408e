import {
  defaultBaseJobTemplate,
  type BaseJobTemplate,
  type Worker,
  type WorkerFilter,
  type WorkerHeartbeat,
  type WorkPool,
  type WorkPoolCreate,
  type WorkPoolFilter,
  type WorkPoolPage,
  type WorkPoolType,
  type WorkPoolUpdate,
  type WorkQueue,
  type WorkQueueCreate,
  type WorkQueueUpdate,
} from "@sluice/contracts";
import type { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import type { WorkPoolRow } from "../db/tables.js";
import { ConflictError, NotFoundError } from "../http/errors.js";
import { newId } from "../ids.js";
import {
  DEFAULT_QUEUE_NAME,
  toWorker,
  toWorkPool,
  toWorkQueue,
  type WorkPoolStatusRow,
} from "./work-pool-rows.js";
import * as store from "./work-pool-store.js";

/** The use cases of work pools, their queues and their workers. */
export function createWorkPoolService(deps: Pick<AppDeps, "db" | "clock" | "events">) {
  const { db, clock, events } = deps;

  const readPoolRow = async (name: string): Promise<WorkPoolStatusRow> => {
    const row = await store.findWorkPool(db.db, name, clock.now());
    if (!row) throw new NotFoundError("work_pool_not_found", `work pool ${name} not found`, { pool: name });
    return row;
  };
  const readQueueRow = async (pool: WorkPoolRow, name: string) => {
    const row = await store.findWorkQueue(db.db, pool.id, name);
    if (!row) {
      throw new NotFoundError(
        "work_queue_not_found",
        `work queue ${name} of work pool ${pool.name} not found`,
        {
          pool: pool.name,
          queue: name,
        },
      );
    }
    return row;
  };
  // Workers waiting on a claim look at the pool and its queues again (resumed, limit raised).
  const announce = (pool: string) => events.publish({ kind: "work-pool-changed", workPoolName: pool });

  return {
    readPoolRow,
    readQueueRow,

    async createPool(input: z.output<typeof WorkPoolCreate>): Promise<WorkPool> {
      const now = clock.now();
      const created = await store.insertWorkPool(db.db, {
        id: newId(now.getTime()),
        name: input.name,
        type: input.type,
        description: input.description ?? null,
        base_job_template: JSON.stringify(input.baseJobTemplate ?? defaultBaseJobTemplate(input.type)),
        concurrency_limit: input.concurrencyLimit ?? null,
        paused: input.paused,
        created_at: now,
        updated_at: now,
      });
      if (!created) {
        throw new ConflictError("conflict", `a work pool named ${input.name} already exists`, {
          pool: input.name,
        });
      }
      return toWorkPool(await readPoolRow(input.name));
    },

    readPool: async (name: string): Promise<WorkPool> => toWorkPool(await readPoolRow(name)),

    async updatePool(name: string, update: z.output<typeof WorkPoolUpdate>): Promise<WorkPool> {
      const changed = await store.updateWorkPool(db.db, name, {
        updated_at: clock.now(),
        ...(update.description === undefined ? {} : { description: update.description }),
        ...(update.baseJobTemplate === undefined
          ? {}
          : { base_job_template: JSON.stringify(update.baseJobTemplate) }),
        ...(update.concurrencyLimit === undefined ? {} : { concurrency_limit: update.concurrencyLimit }),
        ...(update.paused === undefined ? {} : { paused: update.paused }),
      });
      if (!changed) await readPoolRow(name);
      announce(name);
      return toWorkPool(await readPoolRow(name));
    },

    async deletePool(name: string): Promise<Record<string, never>> {
      if (!(await store.deleteWorkPool(db.db, name))) await readPoolRow(name);
      announce(name);
      return {};
    },

    async listPools(filter: z.output<typeof WorkPoolFilter>): Promise<WorkPoolPage> {
      const page = await store.listWorkPools(db.db, filter, clock.now());
      return { items: page.items.map(toWorkPool), nextCursor: page.nextCursor };
    },

    readDefaultTemplate: (type: WorkPoolType): BaseJobTemplate => defaultBaseJobTemplate(type),

    async createQueue(poolName: string, input: z.output<typeof WorkQueueCreate>): Promise<WorkQueue> {
      const pool = await readPoolRow(poolName);
      const now = clock.now();
      const created = await store.insertWorkQueue(db.db, {
        id: newId(now.getTime()),
        work_pool_id: pool.id,
        name: input.name,
        description: input.description ?? null,
        priority: input.priority,
        concurrency_limit: input.concurrencyLimit ?? null,
        paused: input.paused,
        created_at: now,
        updated_at: now,
      });
      if (!created) {
        throw new ConflictError("conflict", `work pool ${poolName} already has a queue named ${input.name}`, {
          pool: poolName,
          queue: input.name,
        });
      }
      announce(poolName);
      return toWorkQueue(await readQueueRow(pool, input.name), pool, clock.now());
    },

    async readQueue(poolName: string, name: string): Promise<WorkQueue> {
      const pool = await readPoolRow(poolName);
      return toWorkQueue(await readQueueRow(pool, name), pool, clock.now());
    },

    async updateQueue(poolName: string, name: string, update: z.output<typeof WorkQueueUpdate>) {
      const pool = await readPoolRow(poolName);
      const changed = await store.updateWorkQueue(db.db, pool.id, name, {
        updated_at: clock.now(),
        ...(update.description === undefined ? {} : { description: update.description }),
        ...(update.priority === undefined ? {} : { priority: update.priority }),
        ...(update.concurrencyLimit === undefined ? {} : { concurrency_limit: update.concurrencyLimit }),
        ...(update.paused === undefined ? {} : { paused: update.paused }),
      });
      if (!changed) await readQueueRow(pool, name);
      announce(poolName);
      return toWorkQueue(await readQueueRow(pool, name), pool, clock.now());
    },

    async deleteQueue(poolName: string, name: string): Promise<Record<string, never>> {
      const pool = await readPoolRow(poolName);
      if (name === DEFAULT_QUEUE_NAME) {
        throw new ConflictError(
          "conflict",
          `the ${DEFAULT_QUEUE_NAME} queue of a work pool cannot be deleted`,
          {
            pool: poolName,
            queue: name,
          },
        );
      }
      if (!(await store.deleteWorkQueue(db.db, pool.id, name))) await readQueueRow(pool, name);
      return {};
    },

    async listQueues(poolName: string): Promise<{ items: WorkQueue[] }> {
      const pool = await readPoolRow(poolName);
      const now = clock.now();
      const rows = await store.listWorkQueues(db.db, pool.id);
      return { items: rows.map((row) => toWorkQueue(row, pool, now)) };
    },

    async heartbeat(poolName: string, beat: WorkerHeartbeat): Promise<Worker> {
      const pool = await readPoolRow(poolName);
      const now = clock.now();
      const row = await store.upsertWorker(db.db, {
        poolId: pool.id,
        name: beat.name,
        heartbeatIntervalSeconds: beat.heartbeatIntervalSeconds,
        metadata: beat.metadata,
        now,
      });
      events.publish({ kind: "worker-heartbeat", workPoolName: pool.name, workerName: beat.name });
      return toWorker(row, pool.name, now);
    },

    async listWorkers(poolName: string): Promise<{ items: Worker[] }> {
      const pool = await readPoolRow(poolName);
      const now = clock.now();
      const rows = await store.listWorkers(db.db, pool.id);
      return { items: rows.map((row) => toWorker(row, pool.name, now)) };
    },
    async filterWorkers(filter: z.output<typeof WorkerFilter>): Promise<{ items: Worker[] }> {
      const now = clock.now();
      const rows = await store.listAllWorkers(db.db, filter);
      return { items: rows.map((row) => toWorker(row, row.pool_name, now)) };
    },
  };
}

/** The work-pool use cases. */
export type WorkPoolService = ReturnType<typeof createWorkPoolService>;
