import { isTerminalStateType, type FlowRun, type State } from "@sluice/contracts";
import type { FlowRunsTable } from "../db/tables.js";
import type { Updateable } from "kysely";

/**
 * The columns of a flow run that change when `next` becomes its state: run count and start time on
 * RUNNING, time spent RUNNING when leaving it, end time on terminal states (cleared by a re-run),
 * the result of a COMPLETED state, and when a SCHEDULED run is due (what workers claim by).
 * A finished run scheduled again (a retry by hand) leaves its last attempt behind: no result, no
 * worker or infrastructure, and its automatic retries count afresh from its current run count.
 */
export function bookkeepingFor(
  run: Pick<FlowRun, "state" | "runCount" | "startTime" | "totalRunTimeMs" | "policy">,
  next: State,
  now: Date,
) {
  const previous = run.state;
  const at = Date.parse(next.timestamp);
  const updates: Updateable<FlowRunsTable> = {
    state_id: next.id,
    state_type: next.type,
    state_name: next.name,
    updated_at: now,
    next_scheduled_start_time:
      next.type === "SCHEDULED" ? (next.details.scheduledTime ?? next.timestamp) : null,
  };
  if (next.type === "RUNNING") {
    updates.run_count = run.runCount + 1;
    if (run.startTime === null) updates.start_time = next.timestamp;
  }
  if (previous?.type === "RUNNING" && next.type !== "RUNNING") {
    updates.total_run_time_ms = run.totalRunTimeMs + Math.max(0, at - Date.parse(previous.timestamp));
  }
  if (isTerminalStateType(next.type)) updates.end_time = next.timestamp;
  else if (previous && isTerminalStateType(previous.type)) updates.end_time = null;
  if (next.type === "COMPLETED" && next.result) updates.result = JSON.stringify(next.result);
  if (previous && isTerminalStateType(previous.type) && next.type === "SCHEDULED") {
    updates.result = null;
    updates.worker_id = null;
    updates.infrastructure_id = null;
    updates.policy = JSON.stringify({ ...run.policy, retryBaseRunCount: run.runCount });
  }
  return updates;
}
