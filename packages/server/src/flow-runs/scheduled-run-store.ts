import { DEFAULT_STATE_NAMES } from "@sluice/contracts";
import { sql, type Kysely } from "kysely";
import type { Tables } from "../db/tables.js";

type Db = Kysely<Tables>;

/** A run the scheduler makes: SCHEDULED at `scheduledTime`, auto-scheduled by `scheduleId`. */
export interface ScheduledRunRow {
  readonly id: string;
  readonly stateId: string;
  readonly flowId: string;
  readonly name: string;
  readonly parameters: Record<string, unknown>;
  readonly parameterSchema: Record<string, unknown> | null;
  readonly tags: readonly string[];
  readonly policy: { retries: number; retryDelaySeconds: number; crashRetries: number };
  readonly scheduledTime: Date;
  readonly idempotencyKey: string;
  readonly deploymentId: string;
  readonly scheduleId: string;
  readonly workQueueId: string | null;
  readonly workPoolName: string | null;
  readonly workQueueName: string | null;
  readonly jobVariables: Record<string, unknown>;
}

const json = (value: unknown) => JSON.stringify(value);

/**
 * Inserts auto-scheduled runs with their SCHEDULED states in ONE statement (columns passed as
 * arrays and unnested, so a batch of hundreds costs a few parameters). A run whose idempotency
 * key exists already is skipped; answers the ids of the runs inserted.
 */
export async function insertScheduledFlowRuns(
  db: Db,
  runs: readonly ScheduledRunRow[],
  now: Date,
): Promise<string[]> {
  if (runs.length === 0) return [];
  const column = <T>(pick: (run: ScheduledRunRow) => T) => runs.map(pick);
  const { rows } = await sql<{ id: string }>`
    with input as (
      select * from unnest(
        ${column((r) => r.id)}::uuid[], ${column((r) => r.stateId)}::uuid[],
        ${column((r) => r.flowId)}::uuid[], ${column((r) => r.name)}::text[],
        ${column((r) => json(r.parameters))}::jsonb[],
        ${column((r) => (r.parameterSchema ? json(r.parameterSchema) : null))}::jsonb[],
        ${column((r) => json(r.tags))}::jsonb[], ${column((r) => json(r.policy))}::jsonb[],
        ${column((r) => r.scheduledTime.toISOString())}::text[],
        ${column((r) => r.idempotencyKey)}::text[], ${column((r) => r.deploymentId)}::uuid[],
        ${column((r) => r.scheduleId)}::uuid[], ${column((r) => r.workQueueId)}::uuid[],
        ${column((r) => r.workPoolName)}::text[], ${column((r) => r.workQueueName)}::text[],
        ${column((r) => json(r.jobVariables))}::jsonb[]
      ) as t(id, state_id, flow_id, name, parameters, parameter_schema, tags, policy, scheduled_iso,
             idempotency_key, deployment_id, schedule_id, work_queue_id, work_pool_name,
             work_queue_name, job_variables)
    ), run as (
      insert into flow_runs (id, flow_id, name, parameters, parameter_schema, tags, policy, state_id,
        state_type, state_name, expected_start_time, next_scheduled_start_time, idempotency_key,
        deployment_id, schedule_id, auto_scheduled, work_queue_id, work_pool_name, work_queue_name,
        job_variables, created_at, updated_at)
      select id, flow_id, name, parameters, parameter_schema, tags, policy, state_id, 'SCHEDULED',
        ${DEFAULT_STATE_NAMES.SCHEDULED}, scheduled_iso::timestamptz, scheduled_iso::timestamptz,
        idempotency_key, deployment_id, schedule_id, true, work_queue_id, work_pool_name,
        work_queue_name, job_variables, ${now}::timestamptz, ${now}::timestamptz
      from input
      on conflict do nothing
      returning id, state_id
    ), state as (
      insert into flow_run_states (id, flow_run_id, type, name, timestamp, message, details, result)
      select run.state_id, run.id, 'SCHEDULED', ${DEFAULT_STATE_NAMES.SCHEDULED}, ${now}::timestamptz,
        null, jsonb_build_object('scheduledTime', input.scheduled_iso), null
      from run join input on input.id = run.id
    )
    select id from run`.execute(db);
  return rows.map((row) => row.id);
}

/** For each schedule: how many of its runs are due at or after `from`, and the latest one's time. */
export async function summariseScheduledRuns(
  db: Db,
  deploymentIds: readonly string[],
  from: Date,
): Promise<Map<string, { count: number; latest: Date }>> {
  if (deploymentIds.length === 0) return new Map();
  // Any state counts: a run that started early still took its slot in the schedule.
  const rows = await db
    .selectFrom("flow_runs")
    .select([
      "schedule_id",
      sql<number>`count(*)::int`.as("count"),
      sql<Date>`max(expected_start_time)`.as("latest"),
    ])
    .where(sql<boolean>`deployment_id = any(${[...deploymentIds]}::uuid[])`)
    .where("expected_start_time", ">=", from)
    .where("auto_scheduled", "=", true)
    .groupBy("schedule_id")
    .execute();
  const summary = new Map<string, { count: number; latest: Date }>();
  for (const row of rows) {
    if (row.schedule_id) summary.set(row.schedule_id, { count: row.count, latest: new Date(row.latest) });
  }
  return summary;
}

/**
 * Deletes runs of these deployments that have not started (SCHEDULED, Late included): only the
 * auto-scheduled ones of `scheduleIds` when given, every auto-scheduled one when `autoScheduledOnly`,
 * or all of them. Answers how many went.
 */
export async function deleteNotStartedFlowRuns(
  db: Db,
  where: { deploymentIds: readonly string[]; scheduleIds?: readonly string[]; autoScheduledOnly: boolean },
): Promise<number> {
  if (where.deploymentIds.length === 0 || where.scheduleIds?.length === 0) return 0;
  let query = db
    .deleteFrom("flow_runs")
    .where(sql<boolean>`deployment_id = any(${[...where.deploymentIds]}::uuid[])`)
    .where("state_type", "=", "SCHEDULED");
  if (where.autoScheduledOnly || where.scheduleIds) query = query.where("auto_scheduled", "=", true);
  if (where.scheduleIds)
    query = query.where(sql<boolean>`schedule_id = any(${[...where.scheduleIds]}::uuid[])`);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
