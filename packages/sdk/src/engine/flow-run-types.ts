import type { State } from "@sluice/contracts";
import type { FlowOptions } from "../flows/flow-options.js";

/** What the engine needs of a flow. */
export interface FlowDefinition<R> {
  readonly flowName: string;
  readonly options: FlowOptions;
  readonly parameterSchema: Record<string, unknown> | null;
  readonly fn: (parameters: never) => R | Promise<R>;
}

/** How a flow run ended. */
export interface FlowRunOutcome<R> {
  flowRunId: string;
  /** The final state, as the server recorded it. */
  state: State;
  /** The flow function's return value (COMPLETED runs only). */
  result: R | undefined;
  /** The error that failed or cancelled the run. */
  error?: unknown;
}

/** Where a flow run comes from. */
export interface FlowRunPlacement {
  /** Execute this existing run (a worker's) instead of creating one. */
  flowRunId?: string | undefined;
  parentTaskRunId?: string | null | undefined;
  parentSignal?: AbortSignal | undefined;
  heartbeatSeconds?: number | undefined;
}
