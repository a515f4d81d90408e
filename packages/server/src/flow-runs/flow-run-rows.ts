import type { FlowRun, ResultRef, State } from "@sluice/contracts";
import type { FlowRunRow } from "../db/tables.js";
import { toJoinedState, type JoinedStateColumns } from "../states/state-rows.js";

/** A flow run row joined with its flow's name and its current state's columns (prefixed s_). */
export type FlowRunJoinedRow = FlowRunRow &
  JoinedStateColumns & {
    flow_name: string;
  };

/** A flow run row as written, with its flow name and the state it was given, as the wire FlowRun. */
export function toCreatedFlowRun(row: FlowRunRow, flowName: string, state: State): FlowRun {
  return {
    ...toFlowRun({ ...row, flow_name: flowName, ...NO_STATE }),
    state,
    stateType: state.type,
    stateName: state.name,
  };
}

const NO_STATE = {
  s_type: null,
  s_name: null,
  s_timestamp: null,
  s_message: null,
  s_details: null,
  s_result: null,
};

/** A joined flow run row as the wire FlowRun. */
export function toFlowRun(row: FlowRunJoinedRow): FlowRun {
  const state = toJoinedState(row);
  return {
    id: row.id,
    name: row.name,
    flowId: row.flow_id,
    flowName: row.flow_name,
    parentTaskRunId: row.parent_task_run_id,
    parameters: row.parameters,
    tags: row.tags,
    policy: { crashRetries: 0, retryBaseRunCount: 0, ...row.policy },
    state,
    stateType: state?.type ?? null,
    stateName: state?.name ?? null,
    runCount: row.run_count,
    expectedStartTime: row.expected_start_time.toISOString(),
    startTime: row.start_time?.toISOString() ?? null,
    endTime: row.end_time?.toISOString() ?? null,
    totalRunTimeMs: row.total_run_time_ms,
    result: (row.result ?? null) as ResultRef | null,
    idempotencyKey: row.idempotency_key,
    deploymentId: row.deployment_id,
    scheduleId: row.schedule_id,
    autoScheduled: row.auto_scheduled,
    workPoolName: row.work_pool_name,
    workQueueName: row.work_queue_name,
    jobVariables: row.job_variables,
    nextScheduledStartTime: row.next_scheduled_start_time?.toISOString() ?? null,
    workerId: row.worker_id,
    infrastructureId: row.infrastructure_id,
    lastHeartbeatAt: row.last_heartbeat_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
