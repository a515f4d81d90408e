import type { HookInfo, Hooks } from "../engine/hooks.js";
import type { ResultStorage } from "../storage/result-storage.js";

/** What a flow's state hooks receive. */
export interface FlowHookInfo extends HookInfo {
  readonly flowRunId: string;
  readonly flowName: string;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** Options of `flow(options, fn)`, apart from the parameter schema. */
export interface FlowOptions {
  /** The flow's name; runs are grouped under it. */
  name: string;
  /** Shown in the UI (default: none). */
  description?: string;
  /** Tags on each flow run (default: none). */
  tags?: string[];
  /** Retries after a failure, granted by the server as AwaitingRetry (default 0). */
  retries?: number;
  /** Seconds before each retry (default 0). */
  retryDelaySeconds?: number;
  /** Fail the run as TimedOut after this many seconds; the run's signal is aborted (default: none). */
  timeoutSeconds?: number;
  /** Persist the return value to the result store (default true). */
  persistResult?: boolean;
  /**
   * Where the flow's result and its tasks' results go: a storage block ("s3-bucket/results"),
   * "local", or a Storage object (default: SLUICE_RESULT_STORAGE, else `${SLUICE_HOME}/storage`).
   */
  resultStorage?: ResultStorage;
  /** Capture console output into the run's logs while the run is active (default false). */
  logPrints?: boolean;
  /** Tasks running at once in one run (default SLUICE_TASK_CONCURRENCY, else 64). */
  taskConcurrency?: number;
  /** Called when a run completes. */
  onCompletion?: Hooks<FlowHookInfo>;
  /** Called when a run fails for good (no retries left). */
  onFailure?: Hooks<FlowHookInfo>;
  /** Called when a run starts running (each attempt). */
  onRunning?: Hooks<FlowHookInfo>;
  /** Called when a run crashes (engine failure or SIGTERM). */
  onCrashed?: Hooks<FlowHookInfo>;
  /** Called when a run is cancelled (CANCELLING noticed, or Ctrl-C). */
  onCancellation?: Hooks<FlowHookInfo>;
}
