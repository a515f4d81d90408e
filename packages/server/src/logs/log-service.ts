import type { LogBatch, LogFilter, LogPage } from "@sluice/contracts";
import type { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { findMissingFlowRunIds } from "../flow-runs/flow-run-store.js";
import { NotFoundError } from "../http/errors.js";
import { newId } from "../ids.js";
import { insertLogs, listLogs } from "./log-store.js";

/** Log use cases: store batches idempotently, read them a page at a time. */
export function createLogService({ db, clock, events }: Pick<AppDeps, "db" | "clock" | "events">) {
  return {
    /** Stores a batch; lines whose id was stored before are skipped. Answers how many lines it took. */
    async create(batch: z.output<typeof LogBatch>): Promise<{ accepted: number }> {
      const flowRunIds = [...new Set(batch.logs.flatMap((l) => (l.flowRunId ? [l.flowRunId] : [])))];
      const missing = (await findMissingFlowRunIds(db.db, flowRunIds))[0];
      if (missing)
        throw new NotFoundError("flow_run_not_found", `flow run ${missing} not found`, { id: missing });
      const now = clock.now();
      await insertLogs(
        db.db,
        batch.logs.map((l) => ({ ...l, id: l.id ?? newId(now.getTime()) })),
        now,
      );
      if (flowRunIds.length > 0) {
        events.publish({ kind: "logs-written", flowRunIds, count: batch.logs.length });
      }
      return { accepted: batch.logs.length };
    },
    list(filter: z.output<typeof LogFilter>): Promise<LogPage> {
      return listLogs(db.db, filter);
    },
  };
}

/** The log use cases. */
export type LogService = ReturnType<typeof createLogService>;
