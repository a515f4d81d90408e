import { sql } from "kysely";
import { OFFLINE_AFTER_INTERVALS } from "../work-pools/work-pool-rows.js";
import type { BackgroundService, ServiceDeps } from "./service-runner.js";
import { eachRun, proposeState } from "./propose-state.js";

const BATCH = 100;

/**
 * How long a CANCELLING run with neither worker nor infrastructure may stay silent: such a run was
 * started by hand (`sluice run`), and its own process stops it when its heartbeat (every 5 s) sees
 * CANCELLING; silent this long, that process is gone.
 */
export const UNOWNED_CANCELLING_SILENCE_SECONDS = 30;

/** A worker is offline (or gone) as of `now`; `w` is the left-joined worker. */
function workerGone(now: Date) {
  return sql<boolean>`(w.id is null or w.last_heartbeat_at < ${now}::timestamptz
    - make_interval(secs => ${OFFLINE_AFTER_INTERVALS} * w.heartbeat_interval_seconds))`;
}

/** Runs in `stateType` after `afterId`, by id: a pass walks every matching run once, a batch at a time. */
function runsOfState(deps: ServiceDeps, stateType: string, afterId: string) {
  return deps.db.db
    .selectFrom("flow_runs as fr")
    .leftJoin("workers as w", "w.id", "fr.worker_id")
    .select(["fr.id", "fr.worker_id", "fr.infrastructure_id", "w.name as worker_name"])
    .where("fr.state_type", "=", stateType)
    .where("fr.id", ">", afterId)
    .orderBy("fr.id")
    .limit(BATCH);
}

/**
 * Cancellation cleanup: a CANCELLING run whose worker is offline, or that has no worker and no
 * infrastructure and has gone silent, becomes CANCELLED (nobody is left to stop it); a PENDING run
 * whose worker went offline before starting it goes back to SCHEDULED, due now, for another worker.
 */
export const cancellationCleanupService: BackgroundService = {
  name: "cancellation-cleanup",
  intervalMs: 10_000,
  async run(deps) {
    const now = deps.clock.now();
    const silentSince = new Date(now.getTime() - UNOWNED_CANCELLING_SILENCE_SECONDS * 1000);
    const cancelling = (afterId: string) =>
      runsOfState(deps, "CANCELLING", afterId)
        .where((eb) =>
          eb.or([
            eb.and([eb("fr.worker_id", "is not", null), workerGone(now)]),
            eb.and([
              eb("fr.worker_id", "is", null),
              eb("fr.infrastructure_id", "is", null),
              eb(sql`greatest(fr.last_heartbeat_at, fr.updated_at)`, "<", silentSince),
            ]),
          ]),
        )
        .execute();
    let cancelled = 0;
    await eachRun(cancelling, BATCH, async (run) => {
      const message = run.worker_id
        ? `cancelled: its worker ${run.worker_name ?? run.worker_id} is offline, so nothing is left to stop`
        : `cancelled: it has no worker or infrastructure and no heartbeat for ${UNOWNED_CANCELLING_SILENCE_SECONDS} s`;
      if ((await proposeState(deps, run.id, { type: "CANCELLED", message })) === "CANCELLED") cancelled += 1;
    });
    const pending = (afterId: string) =>
      runsOfState(deps, "PENDING", afterId)
        .where("fr.worker_id", "is not", null)
        .where(workerGone(now))
        .execute();
    let rescheduled = 0;
    await eachRun(pending, BATCH, async (run) => {
      const stored = await proposeState(deps, run.id, {
        type: "SCHEDULED",
        message: `rescheduled: its worker ${run.worker_name ?? run.worker_id ?? ""} went offline before starting it`,
        details: { scheduledTime: now.toISOString() },
      });
      if (stored === "SCHEDULED") rescheduled += 1;
    });
    return cancelled + rescheduled > 0 ? { cancelled, rescheduled } : undefined;
  },
};
