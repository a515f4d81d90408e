import type { Deployment, DeploymentSchedule, Schedule } from "@sluice/contracts";
import type { DeploymentRow, DeploymentScheduleRow } from "../db/tables.js";

/** A deployment row joined with its flow's, pool's and queue's names. */
export type DeploymentJoinedRow = DeploymentRow & {
  flow_name: string;
  work_pool_name: string | null;
  work_queue_name: string | null;
};

/** A schedule row as the wire DeploymentSchedule. */
export function toDeploymentSchedule(row: DeploymentScheduleRow): DeploymentSchedule {
  return {
    id: row.id,
    schedule: row.schedule as Schedule,
    active: row.active,
    parameters: row.parameters,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A joined deployment row and its schedule rows as the wire Deployment. */
export function toDeployment(
  row: DeploymentJoinedRow,
  schedules: readonly DeploymentScheduleRow[],
): Deployment {
  return {
    id: row.id,
    name: row.name,
    flowId: row.flow_id,
    flowName: row.flow_name,
    description: row.description,
    version: row.version,
    tags: row.tags,
    entrypoint: row.entrypoint,
    path: row.path,
    parameters: row.parameters,
    parameterSchema: row.parameter_schema,
    enforceParameterSchema: row.enforce_parameter_schema,
    workPoolName: row.work_pool_name,
    workQueueName: row.work_queue_name,
    jobVariables: row.job_variables,
    concurrencyLimit: row.concurrency_limit,
    collisionStrategy: row.collision_strategy as Deployment["collisionStrategy"],
    lateRunPolicy: row.late_run_policy,
    crashRetries: row.crash_retries,
    paused: row.paused,
    schedules: schedules.map(toDeploymentSchedule),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** JSON with object keys sorted, so equal values compare equal as text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}
