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
