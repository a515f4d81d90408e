import type {
  State,
  StateCounts,
  TaskRun,
  TaskRunBatch,
  TaskRunBatchResult,
  TaskRunCountByStateRequest,
  TaskRunFilter,
  TaskRunPage,
} from "@sluice/contracts";
import type { Kysely } from "kysely";
import type { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import type { Tables } from "../db/tables.js";
import { findMissingFlowRunIds } from "../flow-runs/flow-run-store.js";
import { found, NotFoundError } from "../http/errors.js";
import {
  insertTaskRunStates,
  insertTaskRuns,
  lockFlowRunsForRecording,
  refreshTaskRuns,
} from "./task-run-batch-store.js";
import { countTaskRunsByState } from "./task-run-count-store.js";
import { findFlowRunsOfTaskRuns, findTaskRun, listTaskRunStates, listTaskRuns } from "./task-run-store.js";

type ParsedBatch = z.output<typeof TaskRunBatch>;
type ParsedFilter = z.output<typeof TaskRunFilter>;

/** Task-run use cases: task runs are orchestrated by the SDK and recorded here in batches. */
export function createTaskRunService({ db, clock, events }: Pick<AppDeps, "db" | "clock" | "events">) {
  return {
    /**
     * Records a batch idempotently: new task runs, new states, then each touched task run's current
     * state and bookkeeping, one statement each. A batch that fails half-way converges when re-sent,
     * because the refresh derives each task run from its whole history.
     */
    async record(batch: ParsedBatch): Promise<TaskRunBatchResult> {
      const missingFlowRun = (
        await findMissingFlowRunIds(db.db, unique(batch.taskRuns.map((t) => t.flowRunId)))
      )[0];
      if (missingFlowRun) {
        throw new NotFoundError("flow_run_not_found", `flow run ${missingFlowRun} not found`, {
          id: missingFlowRun,
        });
      }
      const announced = new Set(batch.taskRuns.map((t) => t.id));
      const referenced = unique(batch.states.map((s) => s.taskRunId).filter((id) => !announced.has(id)));
      const known = await findFlowRunsOfTaskRuns(db.db, referenced);
      const missingTaskRun = referenced.find((id) => !known.has(id));
      if (missingTaskRun) {
        throw new NotFoundError("task_run_not_found", `task run ${missingTaskRun} not found`, {
          id: missingTaskRun,
        });
      }
      const flowRunIds = unique([...batch.taskRuns.map((t) => t.flowRunId), ...known.values()]);
      const now = clock.now();
      const write = async (executor: Kysely<Tables>) => {
        if (db.kind === "postgres") await lockFlowRunsForRecording(executor, flowRunIds);
        const taskRunsCreated = await insertTaskRuns(executor, batch.taskRuns, now);
        const statesCreated = await insertTaskRunStates(executor, batch.states);
        await refreshTaskRuns(executor, unique(batch.states.map((s) => s.taskRunId)), now);
        return { taskRunsCreated, statesCreated };
      };
      // On PostgreSQL one transaction saves two commits (fsyncs) per batch and holds the flow runs'
      // recording locks; PGlite serialises everything on one connection, so it needs neither.
      const { taskRunsCreated, statesCreated } =
        db.kind === "postgres" ? await db.db.transaction().execute(write) : await write(db.db);
      if (taskRunsCreated + statesCreated > 0) events.publish({ kind: "task-runs-changed", flowRunIds });
      const duplicatesSkipped =
        batch.taskRuns.length - taskRunsCreated + (batch.states.length - statesCreated);
      return { taskRunsCreated, statesCreated, duplicatesSkipped };
    },
    async read(id: string): Promise<TaskRun> {
      return found(await findTaskRun(db.db, id), "task_run_not_found", "task run", id);
    },
    async readStates(id: string): Promise<State[]> {
      found(await findTaskRun(db.db, id), "task_run_not_found", "task run", id);
      return listTaskRunStates(db.db, id);
    },
    list(filter: ParsedFilter): Promise<TaskRunPage> {
      return listTaskRuns(db.db, filter);
    },
    async countByState(request: z.output<typeof TaskRunCountByStateRequest>): Promise<StateCounts> {
      return { items: await countTaskRunsByState(db.db, request) };
    },
  };
}

/** The task-run use cases. */
export type TaskRunService = ReturnType<typeof createTaskRunService>;

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
