import type { Database } from "../db/database.js";
import { newId } from "../ids.js";

/**
 * Test data the claim tests need before the deployment routes exist: deployments and runs queued
 * in a pool, written straight into the database (the claim is what those tests exercise).
 */

/** A deployment row of `flowId`; returns its id. */
export async function insertDeployment(
  db: Database,
  fields: {
    flowId: string;
    name: string;
    concurrencyLimit?: number | null;
    collisionStrategy?: "ENQUEUE" | "CANCEL_NEW";
    paused?: boolean;
    crashRetries?: number;
  },
): Promise<string> {
  const now = new Date();
  const id = newId();
  await db.db
    .insertInto("deployments")
    .values({
      id,
      flow_id: fields.flowId,
      name: fields.name,
      description: null,
      version: null,
      tags: "[]",
      entrypoint: "flows/example.ts:example",
      path: "/srv/project",
      parameters: "{}",
      parameter_schema: null,
      enforce_parameter_schema: true,
      work_pool_id: null,
      work_queue_id: null,
      job_variables: "{}",
      concurrency_limit: fields.concurrencyLimit ?? null,
      collision_strategy: fields.collisionStrategy ?? "ENQUEUE",
      late_run_policy: JSON.stringify({ mode: "RUN_ALL" }),
      crash_retries: fields.crashRetries ?? 0,
      paused: fields.paused ?? false,
      last_polled_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** Where queued runs go. */
export interface QueueRef {
  readonly id: string;
  readonly name: string;
  readonly poolName: string;
}

/** `count` SCHEDULED runs of `flowId` in `queue`, due at `dueAt`; returns their ids in due order. */
export async function insertQueuedRuns(
  db: Database,
  fields: {
    flowId: string;
    queue: QueueRef;
    count: number;
    dueAt: Date;
    deploymentId?: string;
    crashRetries?: number;
  },
): Promise<string[]> {
  const runs = Array.from({ length: fields.count }, (_, i) => {
    const due = new Date(fields.dueAt.getTime() + i);
    return { id: newId(), stateId: newId(), due };
  });
  await db.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("flow_runs")
      .values(
        runs.map((run) => ({
          id: run.id,
          flow_id: fields.flowId,
          name: `queued-${run.id.slice(-6)}`,
          parent_task_run_id: null,
          parameters: "{}",
          parameter_schema: null,
          tags: "[]",
          policy: JSON.stringify({
            retries: 0,
            retryDelaySeconds: 0,
            crashRetries: fields.crashRetries ?? 0,
          }),
          state_id: run.stateId,
          state_type: "SCHEDULED",
          state_name: "Scheduled",
          expected_start_time: run.due,
          start_time: null,
          end_time: null,
          result: null,
          idempotency_key: null,
          last_heartbeat_at: null,
          created_at: run.due,
          updated_at: run.due,
          deployment_id: fields.deploymentId ?? null,
          work_queue_id: fields.queue.id,
          work_pool_name: fields.queue.poolName,
          work_queue_name: fields.queue.name,
          next_scheduled_start_time: run.due,
        })),
      )
      .execute();
    await trx
      .insertInto("flow_run_states")
      .values(
        runs.map((run) => ({
          id: run.stateId,
          flow_run_id: run.id,
          type: "SCHEDULED",
          name: "Scheduled",
          timestamp: run.due,
          message: null,
          details: JSON.stringify({ scheduledTime: run.due.toISOString() }),
          result: null,
        })),
      )
      .execute();
  });
  return runs.map((run) => run.id);
}
