import type { DeploymentUpsert, FieldIssue } from "@sluice/contracts";
import type { Kysely } from "kysely";
import type { z } from "zod";
import type { DeploymentRow, DeploymentScheduleRow, Tables } from "../db/tables.js";
import { NotFoundError, ValidationError } from "../http/errors.js";
import { newId } from "../ids.js";
import { describeScheduleProblem } from "../schedules/schedule-times.js";
import { deleteNotStartedFlowRuns } from "../flow-runs/scheduled-run-store.js";
import { stableJson } from "./deployment-rows.js";
import * as store from "./deployment-store.js";
import { describeParameterSchemaProblem } from "./parameter-schema.js";

type ParsedUpsert = z.output<typeof DeploymentUpsert>;
type Db = Kysely<Tables>;

/** Where a deployment's runs go: its pool and queue ids, or nulls for a deployment no worker runs. */
export interface WorkTarget {
  readonly workPoolId: string | null;
  readonly workQueueId: string | null;
}

/** 400 invalid_schedule naming each bad schedule field, or 400 for a parameter schema Ajv cannot compile. */
export function checkUpsert(input: ParsedUpsert): void {
  const issues: FieldIssue[] = [];
  input.schedules.forEach((entry, i) => {
    const problem = describeScheduleProblem(entry.schedule);
    if (problem)
      issues.push({ path: `body.schedules.${i}.schedule.${problem.field}`, message: problem.message });
  });
  if (issues.length > 0) {
    const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
    throw new ValidationError("invalid_schedule", `invalid schedule: ${summary}`, issues);
  }
  const schemaProblem = input.parameterSchema
    ? describeParameterSchemaProblem(input.parameterSchema)
    : undefined;
  if (schemaProblem) {
    throw new ValidationError(
      "validation_failed",
      `invalid request: body.parameterSchema: ${schemaProblem}`,
      [{ path: "body.parameterSchema", message: schemaProblem }],
    );
  }
  if (!input.workPoolName && input.workQueueName) {
    const message = "a work queue belongs to a work pool: set workPoolName too";
    throw new ValidationError("validation_failed", `invalid request: body.workQueueName: ${message}`, [
      { path: "body.workQueueName", message },
    ]);
  }
}

/** Resolves the pool and queue by name: 404 work_pool_not_found or work_queue_not_found naming them. */
export async function resolveWorkTarget(db: Db, poolName?: string | null, queueName?: string | null) {
  if (!poolName) return { workPoolId: null, workQueueId: null } satisfies WorkTarget;
  const workPoolId = await store.findWorkPoolId(db, poolName);
  if (!workPoolId) {
    throw new NotFoundError(
      "work_pool_not_found",
      `work pool ${poolName} not found: create it first (sluice work-pool create ${poolName})`,
      {
        name: poolName,
      },
    );
  }
  const queue = queueName ?? "default";
  const workQueueId = await store.findWorkQueueId(db, workPoolId, queue);
  if (!workQueueId) {
    throw new NotFoundError(
      "work_queue_not_found",
      `work queue ${queue} not found in work pool ${poolName}`,
      {
        pool: poolName,
        name: queue,
      },
    );
  }
  return { workPoolId, workQueueId } satisfies WorkTarget;
}

/** What the upsert stored and which runs it dropped. */
export interface UpsertOutcome {
  readonly deployment: DeploymentRow;
  readonly runsDeleted: number;
}

/**
 * Writes the deployment and replaces its schedules in one transaction. A schedule sent unchanged
 * (same definition, switch and parameters) keeps its id and runs; a changed or removed one loses
 * its runs not yet started. When what runs are made of changes (parameters, tags, queue, job
 * variables, crash retries) or the deployment is paused, every auto-scheduled run not started goes.
 */
export async function writeDeployment(
  db: Db,
  input: ParsedUpsert,
  flowId: string,
  target: WorkTarget,
  now: Date,
): Promise<UpsertOutcome> {
  return db.transaction().execute(async (trx) => {
    const previous = await store.lockDeploymentRow(trx, flowId, input.name);
    const deployment = await store.upsertDeploymentRow(trx, {
      id: previous?.id ?? newId(now.getTime()),
      flow_id: flowId,
      name: input.name,
      description: input.description ?? null,
      version: input.version ?? null,
      tags: JSON.stringify(input.tags),
      entrypoint: input.entrypoint,
      path: input.path ?? null,
      parameters: JSON.stringify(input.parameters),
      parameter_schema: input.parameterSchema ? JSON.stringify(input.parameterSchema) : null,
      enforce_parameter_schema: input.enforceParameterSchema,
      work_pool_id: target.workPoolId,
      work_queue_id: target.workQueueId,
      job_variables: JSON.stringify(input.jobVariables),
      concurrency_limit: input.concurrencyLimit ?? null,
      collision_strategy: input.collisionStrategy,
      late_run_policy: JSON.stringify(input.lateRunPolicy),
      crash_retries: input.crashRetries,
      paused: input.paused ?? previous?.paused ?? false,
      created_at: previous?.created_at ?? now,
      updated_at: now,
    });
    const existing = previous ? await store.listScheduleRows(trx, [deployment.id]) : [];
    const plan = planSchedules(existing, input.schedules);
    await store.deleteScheduleRows(trx, plan.removed);
    await store.insertScheduleRows(
      trx,
      plan.added.map((entry) => ({
        id: newId(now.getTime()),
        deployment_id: deployment.id,
        schedule: JSON.stringify(entry.schedule),
        active: entry.active,
        parameters: JSON.stringify(entry.parameters),
        created_at: now,
        updated_at: now,
      })),
    );
    const dropAll =
      deployment.paused || (previous !== undefined && runTemplate(previous) !== runTemplate(deployment));
    const runsDeleted = await deleteNotStartedFlowRuns(trx, {
      deploymentIds: [deployment.id],
      autoScheduledOnly: true,
      ...(dropAll ? {} : { scheduleIds: plan.removed }),
    });
    return { deployment, runsDeleted };
  });
}

type ScheduleEntry = ParsedUpsert["schedules"][number];

/** Matches sent schedules to stored ones by definition: which stored ids go, which entries are new. */
function planSchedules(existing: readonly DeploymentScheduleRow[], sent: readonly ScheduleEntry[]) {
  const unmatched = new Map<string, string[]>();
  for (const row of existing) {
    const key = scheduleKey(row);
    unmatched.set(key, [...(unmatched.get(key) ?? []), row.id]);
  }
  const added: ScheduleEntry[] = [];
  for (const entry of sent) {
    const ids = unmatched.get(scheduleKey(entry));
    if (ids && ids.length > 0) ids.shift();
    else added.push(entry);
  }
  return { added, removed: [...unmatched.values()].flat() };
}

function scheduleKey(s: { schedule: unknown; active: boolean; parameters: unknown }): string {
  return stableJson({ schedule: s.schedule, active: s.active, parameters: s.parameters });
}

/** What a deployment's auto-scheduled runs copy from it. */
function runTemplate(row: DeploymentRow): string {
  return stableJson({
    parameters: row.parameters,
    parameterSchema: row.parameter_schema,
    tags: row.tags,
    jobVariables: row.job_variables,
    workQueueId: row.work_queue_id,
    crashRetries: row.crash_retries,
  });
}
