import type { ResultRef, TaskInput, TaskRun } from "@sluice/contracts";
import type { TaskRunRow } from "../db/tables.js";
import { toJoinedState, type JoinedStateColumns } from "../states/state-rows.js";

/** A task run row joined with its current state's columns (prefixed s_). */
export type TaskRunJoinedRow = TaskRunRow & JoinedStateColumns;

/** A joined task run row as the wire TaskRun. */
export function toTaskRun(row: TaskRunJoinedRow): TaskRun {
  const state = toJoinedState(row);
  return {
    id: row.id,
    flowRunId: row.flow_run_id,
    taskKey: row.task_key,
    name: row.name,
    dynamicKey: row.dynamic_key,
    tags: row.tags,
    taskInputs: row.task_inputs as Record<string, TaskInput[]>,
    cacheKey: row.cache_key,
    cacheExpiration: row.cache_expiration?.toISOString() ?? null,
    state,
    stateType: state?.type ?? null,
    stateName: state?.name ?? null,
    runCount: row.run_count,
    startTime: row.start_time?.toISOString() ?? null,
    endTime: row.end_time?.toISOString() ?? null,
    totalRunTimeMs: row.total_run_time_ms,
    result: (row.result ?? null) as ResultRef | null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
