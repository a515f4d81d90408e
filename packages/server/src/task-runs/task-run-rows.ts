import type { ResultRef, State, TaskInput, TaskRun } from "@sluice/contracts";
import type { TaskRunRow } from "../db/tables.js";
import { toState } from "../states/state-rows.js";

/** A task run row joined with its current state's columns (prefixed s_). */
export type TaskRunJoinedRow = TaskRunRow & {
  s_type: string | null;
  s_name: string | null;
  s_timestamp: Date | null;
  s_message: string | null;
  s_details: Record<string, unknown> | null;
  s_result: unknown;
};

/** A joined task run row as the wire TaskRun. */
export function toTaskRun(row: TaskRunJoinedRow): TaskRun {
  const state: State | null =
    row.state_id && row.s_type && row.s_timestamp
      ? toState({
          id: row.state_id,
          type: row.s_type,
          name: row.s_name ?? row.s_type,
          timestamp: row.s_timestamp,
          message: row.s_message,
          details: row.s_details ?? {},
          result: row.s_result,
        })
      : null;
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
