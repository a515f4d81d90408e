import type { LateRunPolicy } from "@sluice/contracts";
import { sql } from "kysely";
import type { AppDeps } from "../app-deps.js";
import { setFlowRunState } from "../flow-runs/set-flow-run-state.js";
import { ConflictError } from "../http/errors.js";
import type { BackgroundService } from "./service-runner.js";

/** When a run counts as late, and how often to look. */
export interface LateRunsSettings {
  /** Time between passes (default 5 s). */
  readonly intervalMs: number;
  /** A SCHEDULED run this long past due becomes Late (default 15 s, as Prefect since PR #12457). */
  readonly lateAfterMs: number;
  /** Runs handled per query (default 500). */
  readonly batchSize: number;
}

/** The late-runs defaults. */
export const DEFAULT_LATE_RUNS_SETTINGS: LateRunsSettings = {
  intervalMs: 5000,
  lateAfterMs: 15_000,
  batchSize: 500,
};

/** What one late-runs pass did. */
export interface LateRunsReport {
  marked: number;
  cancelled: number;
}

type Deps = Pick<AppDeps, "db" | "clock" | "events">;

/**
 * Marks SCHEDULED runs more than `lateAfterMs` past due as Late (keeping their scheduled time),
 * then applies each deployment's late-run policy to its Late runs.
 */
export async function handleLateRuns(
  deps: Deps,
  settings: LateRunsSettings = DEFAULT_LATE_RUNS_SETTINGS,
): Promise<LateRunsReport> {
  const marked = await markLateRuns(deps, settings);
  const cancelled = await applyLateRunPolicies(deps, settings);
  return { marked, cancelled };
}

/** The late-runs service with these settings. */
export function createLateRunsService(overrides: Partial<LateRunsSettings> = {}): BackgroundService {
  const settings = { ...DEFAULT_LATE_RUNS_SETTINGS, ...overrides };
  return {
    name: "late-runs",
    intervalMs: settings.intervalMs,
    run: async (deps) => {
      const report = await handleLateRuns(deps, settings);
      return report.marked + report.cancelled > 0 ? { ...report } : undefined;
    },
  };
}

/** The late-runs service with its defaults: a pass every 5 s, Late after 15 s. */
export const lateRunsService: BackgroundService = createLateRunsService();

/** Marks overdue SCHEDULED runs Late; answers how many. */
export async function markLateRuns(deps: Deps, settings: LateRunsSettings): Promise<number> {
  const dueBefore = new Date(deps.clock.now().getTime() - settings.lateAfterMs);
  let marked = 0;
  for (;;) {
    const overdue = await deps.db.db
      .selectFrom("flow_runs")
      .select(["id", "next_scheduled_start_time"])
      .where("state_type", "=", "SCHEDULED")
      .where("state_name", "<>", "Late")
      .where("next_scheduled_start_time", "<", dueBefore)
      .orderBy("next_scheduled_start_time")
      .limit(settings.batchSize)
      .execute();
    let markedNow = 0;
    for (const run of overdue) {
      const scheduledTime = run.next_scheduled_start_time?.toISOString();
      const state = {
        type: "SCHEDULED" as const,
        name: "Late",
        details: scheduledTime ? { scheduledTime } : {},
      };
      if (await proposeUnlessMovedOn(deps, run.id, state)) markedNow += 1;
    }
    marked += markedNow;
    // A full batch of which none could be marked would be read again: stop until the next pass.
    if (overdue.length < settings.batchSize || markedNow === 0) return marked;
  }
}

/**
 * RUN_LATEST cancels every Late run of a deployment but the newest; SKIP_LATE cancels those more
 * than `thresholdSeconds` past due. RUN_ALL (and runs without a deployment) are left alone.
 */
export async function applyLateRunPolicies(deps: Deps, settings: LateRunsSettings): Promise<number> {
  const late = await deps.db.db
    .selectFrom("flow_runs as fr")
    .innerJoin("deployments as d", "d.id", "fr.deployment_id")
    .select(["fr.id", "fr.deployment_id", "fr.next_scheduled_start_time", "d.late_run_policy", "d.name"])
    .where("fr.state_type", "=", "SCHEDULED")
    .where("fr.state_name", "=", "Late")
    .where(sql<boolean>`d.late_run_policy->>'mode' <> 'RUN_ALL'`)
    .orderBy("fr.deployment_id")
    .orderBy("fr.next_scheduled_start_time", "desc")
    .orderBy("fr.id", "desc")
    .limit(settings.batchSize * 10)
    .execute();
  const now = deps.clock.now().getTime();
  let cancelled = 0;
  let previousDeploymentId: string | null | undefined;
  for (const run of late) {
    const policy = run.late_run_policy;
    const scheduledMs = run.next_scheduled_start_time?.getTime() ?? now;
    // Rows come newest first within each deployment.
    const isNewest = run.deployment_id !== previousDeploymentId;
    previousDeploymentId = run.deployment_id;
    const reason = cancellationReason(policy, isNewest, now - scheduledMs, run.name);
    if (!reason) continue;
    const state = { type: "CANCELLING" as const, message: reason };
    if (await proposeUnlessMovedOn(deps, run.id, state)) cancelled += 1;
  }
  return cancelled;
}

function cancellationReason(
  policy: LateRunPolicy,
  isNewest: boolean,
  lateMs: number,
  deploymentName: string,
): string | undefined {
  if (policy.mode === "RUN_LATEST" && !isNewest) {
    return `skipped by deployment ${deploymentName}'s late-run policy RUN_LATEST: a newer late run replaces it`;
  }
  if (policy.mode === "SKIP_LATE" && lateMs > policy.thresholdSeconds * 1000) {
    const seconds = Math.round(lateMs / 1000);
    return `skipped by deployment ${deploymentName}'s late-run policy SKIP_LATE: ${seconds} s late, more than its threshold of ${policy.thresholdSeconds} s`;
  }
  return undefined;
}

/**
 * Proposes a state through the orchestration rules; false when the run moved on meanwhile (a worker
 * claimed it, it was cancelled or deleted), which the rules answer with 409 or the store with 404.
 */
async function proposeUnlessMovedOn(
  deps: Deps,
  id: string,
  state: {
    type: "SCHEDULED" | "CANCELLING";
    name?: string;
    message?: string;
    details?: Record<string, unknown>;
  },
): Promise<boolean> {
  try {
    const result = await setFlowRunState(deps, id, { state, force: false });
    return result.status === "ACCEPT";
  } catch (error) {
    if (error instanceof ConflictError && error.code === "invalid_state_transition") return false;
    if (error instanceof Error && "code" in error && error.code === "flow_run_not_found") return false;
    throw error;
  }
}
