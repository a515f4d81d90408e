import { sql } from "kysely";
import type { BackgroundService } from "./service-runner.js";
import { eachRun, proposeState } from "./propose-state.js";

/** Runs read per query; a pass reads batch after batch until it has seen every silent run. */
const BATCH = 100;

/**
 * Zombie runs: a RUNNING flow run with no sign of life (heartbeat, or state change when it never
 * beat) for `windowSeconds` is proposed CRASHED, naming the silence; the orchestration rules
 * schedule it again when its crash retries allow. The last state change counts as a sign of life
 * so that a retried run is not judged by the heartbeats of its previous attempt.
 */
export function createZombieRunsService(windowSeconds: number, intervalMs = 10_000): BackgroundService {
  return {
    name: "zombie-runs",
    intervalMs,
    async run(deps) {
      const now = deps.clock.now();
      const cutoff = new Date(now.getTime() - windowSeconds * 1000);
      const lastSign = sql<Date>`greatest(last_heartbeat_at, updated_at)`;
      const page = (afterId: string) =>
        deps.db.db
          .selectFrom("flow_runs")
          .select(["id", lastSign.as("last_sign")])
          .where("state_type", "=", "RUNNING")
          .where(lastSign, "<", cutoff)
          .where("id", ">", afterId)
          .orderBy("id")
          .limit(BATCH)
          .execute();
      let crashed = 0;
      let retried = 0;
      await eachRun(page, BATCH, async (row) => {
        const silence = Math.round((now.getTime() - row.last_sign.getTime()) / 1000);
        const stored = await proposeState(deps, row.id, {
          type: "CRASHED",
          message:
            `no heartbeat for ${silence} s (the zombie window is ${windowSeconds} s): ` +
            "the flow run's process is presumed dead",
        });
        if (stored === "CRASHED") crashed += 1;
        if (stored === "SCHEDULED") retried += 1;
      });
      return crashed + retried > 0 ? { crashed, retried } : undefined;
    },
  };
}
