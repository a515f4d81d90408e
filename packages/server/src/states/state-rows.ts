import type { ResultRef, State, StateCreate, StateType } from "@sluice/contracts";
import { DEFAULT_STATE_NAMES } from "@sluice/contracts";
import { newId } from "../ids.js";

/** A state row as both history tables store it. */
export interface StoredState {
  id: string;
  type: string;
  name: string;
  timestamp: Date;
  message: string | null;
  details: Record<string, unknown>;
  result: unknown;
}

/** Fills in a proposed state's id, name and timestamp (the server clock when absent). */
export function materializeState(proposed: StateCreate, now: Date): State {
  return {
    id: proposed.id ?? newId(now.getTime()),
    type: proposed.type,
    name: proposed.name ?? DEFAULT_STATE_NAMES[proposed.type],
    timestamp: proposed.timestamp ? new Date(proposed.timestamp).toISOString() : now.toISOString(),
    message: proposed.message ?? null,
    details: proposed.details ?? {},
    result: proposed.result ?? null,
  };
}

/** A stored state row as the wire State. */
export function toState(row: StoredState): State {
  return {
    id: row.id,
    type: row.type as StateType,
    name: row.name,
    timestamp: row.timestamp.toISOString(),
    message: row.message,
    details: row.details,
    result: (row.result ?? null) as ResultRef | null,
  };
}

/** A wire State as the columns of a history row. */
export function toStateColumns(state: State) {
  return {
    id: state.id,
    type: state.type,
    name: state.name,
    timestamp: state.timestamp,
    message: state.message,
    details: JSON.stringify(state.details),
    result: state.result === null ? null : JSON.stringify(state.result),
  };
}

/** A run row's current state, joined in as columns prefixed `s_` (flow runs and task runs alike). */
export interface JoinedStateColumns {
  state_id: string | null;
  s_type: string | null;
  s_name: string | null;
  s_timestamp: Date | null;
  s_message: string | null;
  s_details: Record<string, unknown> | null;
  s_result: unknown;
}

/** The current state of a run row with joined state columns, or null when it has none yet. */
export function toJoinedState(row: JoinedStateColumns): State | null {
  if (!row.state_id || !row.s_type || !row.s_timestamp) return null;
  return toState({
    id: row.state_id,
    type: row.s_type,
    name: row.s_name ?? row.s_type,
    timestamp: row.s_timestamp,
    message: row.s_message,
    details: row.s_details ?? {},
    result: row.s_result,
  });
}
