import type { Schedule } from "@sluice/contracts";
import type { AppDeps } from "../app-deps.js";
import type { DeploymentScheduleRow } from "../db/tables.js";
import type { DeploymentJoinedRow } from "../deployments/deployment-rows.js";
import { listSchedulableDeployments } from "../deployments/deployment-store.js";
import { flowRunStateEvent } from "../events/flow-run-events.js";
import { generateRunName } from "../flow-runs/run-names.js";
import {
  insertScheduledFlowRuns,
  summariseScheduledRuns,
  type ScheduledRunRow,
} from "../flow-runs/scheduled-run-store.js";
import { newId } from "../ids.js";
import { computeScheduleTimes } from "../schedules/schedule-times.js";
import type { BackgroundService } from "./service-runner.js";

/** How far ahead the scheduler keeps runs (Prefect's defaults). */
export interface SchedulerSettings {
  /** Time between passes (default 60 s). */
  readonly intervalMs: number;
  /** Keep at least this many future runs per schedule (default 3)... */
  readonly minRuns: number;
  /** ...and runs at least this far ahead (default 1 h). */
  readonly minScheduledTimeMs: number;
  /** Never more than this many future runs per schedule (default 100)... */
  readonly maxRuns: number;
  /** ...nor further ahead than this (default 100 days). */
  readonly maxScheduledTimeMs: number;
  /** Deployments read per query (default 500). */
  readonly deploymentBatchSize: number;
  /** Runs inserted per statement (default 500). */
  readonly insertBatchSize: number;
}

/** Prefect's scheduler defaults. */
export const DEFAULT_SCHEDULER_SETTINGS: SchedulerSettings = {
  intervalMs: 60_000,
  minRuns: 3,
  minScheduledTimeMs: 3_600_000,
  maxRuns: 100,
  maxScheduledTimeMs: 100 * 86_400_000,
  deploymentBatchSize: 500,
  insertBatchSize: 500,
};

/** What one scheduler pass did. */
export interface SchedulerReport {
  /** Deployments looked at. */
  deployments: number;
  runsCreated: number;
}

type Deps = Pick<AppDeps, "db" | "clock" | "events" | "logger">;

/**
 * Creates the runs the active schedules of unpaused deployments name, so each schedule has at
 * least `minRuns` runs and `minScheduledTimeMs` ahead, within `maxRuns` and `maxScheduledTimeMs`.
 * Idempotent, even across servers: each run's idempotency key is `scheduled:<schedule id>:<time>`.
 * `deploymentIds` limits the pass to those deployments (after an upsert or a resume).
 */
export async function scheduleDeployments(
  deps: Deps,
  settings: SchedulerSettings = DEFAULT_SCHEDULER_SETTINGS,
  deploymentIds?: readonly string[],
): Promise<SchedulerReport> {
  const now = deps.clock.now();
  const report: SchedulerReport = { deployments: 0, runsCreated: 0 };
  let afterId: string | undefined;
  for (;;) {
    const page = await listSchedulableDeployments(deps.db.db, {
      afterId,
      limit: settings.deploymentBatchSize,
      ids: deploymentIds,
    });
    if (page.length === 0) break;
    const existing = await summariseScheduledRuns(
      deps.db.db,
      page.map((d) => d.row.id),
      now,
    );
    const runs = page.flatMap(({ row, schedules }) =>
      schedules.flatMap((schedule) =>
        plannedRuns(deps, settings, now, row, schedule, existing.get(schedule.id)),
      ),
    );
    for (let i = 0; i < runs.length; i += settings.insertBatchSize) {
      const batch = runs.slice(i, i + settings.insertBatchSize);
      const created = new Set(await insertScheduledFlowRuns(deps.db.db, batch, now));
      report.runsCreated += created.size;
      announceDueSoon(
        deps,
        settings,
        now,
        batch.filter((run) => created.has(run.id)),
      );
    }
    report.deployments += page.length;
    afterId = page[page.length - 1]?.row.id;
    if (page.length < settings.deploymentBatchSize) break;
  }
  return report;
}

/** The scheduler as a background service with these settings. */
export function createSchedulerService(overrides: Partial<SchedulerSettings> = {}): BackgroundService {
  const settings = { ...DEFAULT_SCHEDULER_SETTINGS, ...overrides };
  return {
    name: "scheduler",
    intervalMs: settings.intervalMs,
    run: async (deps) => ({ ...(await scheduleDeployments(deps, settings)) }),
  };
}

/** The scheduler with Prefect's defaults: a pass every 60 s. */
export const schedulerService: BackgroundService = createSchedulerService();

/**
 * The runs a schedule still needs. Times already covered by its runs (up to the latest) are not
 * named again, so a steady pass computes and inserts only the new ones.
 */
function plannedRuns(
  deps: Deps,
  settings: SchedulerSettings,
  now: Date,
  deployment: DeploymentJoinedRow,
  schedule: DeploymentScheduleRow,
  existing: { count: number; latest: Date } | undefined,
): ScheduledRunRow[] {
  const count = existing?.count ?? 0;
  const minUntil = now.getTime() + settings.minScheduledTimeMs;
  if (count >= settings.maxRuns) return [];
  if (existing && count >= settings.minRuns && existing.latest.getTime() >= minUntil) return [];
  const after = existing ? new Date(Math.max(now.getTime(), existing.latest.getTime() + 1)) : now;
  const maxUntil = now.getTime() + settings.maxScheduledTimeMs;
  let wanted: Date[];
  try {
    // Everything up to the minimum horizon, then more only if that leaves fewer than minRuns.
    wanted = computeScheduleTimes(schedule.schedule as Schedule, {
      after,
      before: new Date(Math.min(minUntil, maxUntil)),
      limit: settings.maxRuns - count,
    });
    const missing = settings.minRuns - count - wanted.length;
    if (missing > 0) {
      const last = wanted[wanted.length - 1];
      const from = last ? new Date(last.getTime() + 1) : after;
      wanted.push(
        ...computeScheduleTimes(schedule.schedule as Schedule, {
          after: from,
          before: new Date(maxUntil),
          limit: missing,
        }),
      );
    }
  } catch (error) {
    // Checked when deployed; a zone this runtime no longer knows must not stop the other schedules.
    deps.logger.warn("schedule skipped", { scheduleId: schedule.id, error: String(error) });
    return [];
  }
  return wanted.map((time) => toRunRow(deployment, schedule, time, now));
}

function toRunRow(
  deployment: DeploymentJoinedRow,
  schedule: DeploymentScheduleRow,
  time: Date,
  now: Date,
): ScheduledRunRow {
  return {
    id: newId(now.getTime()),
    stateId: newId(now.getTime()),
    flowId: deployment.flow_id,
    name: generateRunName(),
    parameters: { ...deployment.parameters, ...schedule.parameters },
    parameterSchema: deployment.parameter_schema,
    tags: deployment.tags,
    policy: { retries: 0, retryDelaySeconds: 0, crashRetries: deployment.crash_retries },
    scheduledTime: time,
    idempotencyKey: `scheduled:${schedule.id}:${time.toISOString()}`,
    deploymentId: deployment.id,
    scheduleId: schedule.id,
    workQueueId: deployment.work_queue_id,
    workPoolName: deployment.work_pool_name,
    workQueueName: deployment.work_queue_name,
    jobVariables: deployment.job_variables,
  };
}

/**
 * Announces created runs due before the next pass, so a waiting worker can plan its wake-up;
 * later ones are announced by nothing (a worker finds them when they are due), which keeps a
 * first pass over thousands of schedules from flooding the event bus.
 */
function announceDueSoon(
  deps: Deps,
  settings: SchedulerSettings,
  now: Date,
  runs: readonly ScheduledRunRow[],
) {
  const horizon = now.getTime() + settings.intervalMs;
  for (const run of runs) {
    if (run.scheduledTime.getTime() > horizon) continue;
    const scheduledTime = run.scheduledTime.toISOString();
    const state = {
      id: run.stateId,
      type: "SCHEDULED" as const,
      name: "Scheduled",
      timestamp: now.toISOString(),
      message: null,
      details: { scheduledTime },
      result: null,
    };
    deps.events.publish(
      flowRunStateEvent(
        { id: run.id, workPoolName: run.workPoolName, deploymentId: run.deploymentId, workerId: null },
        state,
      ),
    );
  }
}
