import { AsyncLocalStorage } from "node:async_hooks";
import type { Limiter } from "../engine/limiter.js";
import type { Session } from "../api-connection/session.js";
import type { ResultStore } from "../storage/storage.js";
import type { StateClock } from "../engine/recorder.js";
import type { RetryPlan } from "../engine/retry-plan.js";

/** What `getRunContext()` tells flow and task code about the run it is in. */
export interface RunContext {
  /** The flow run being executed. */
  readonly flowRunId: string;
  readonly flowName: string;
  /** The task run being executed, when inside a task. */
  readonly taskRunId: string | undefined;
  readonly taskName: string | undefined;
  /** The flow run's validated parameters. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** The current attempt of the innermost run (1 for the first). */
  readonly attempt: number;
  /** Aborted when the run times out, is cancelled, or the process is interrupted. */
  readonly signal: AbortSignal;
}

/** Engine state of one flow run, shared by its tasks. */
export interface FlowRunScope {
  readonly id: string;
  readonly flowName: string;
  /** The flow run's display name, as the server chose it. */
  readonly runName: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly session: Session;
  /** Where this run's result and, by default, its tasks' results go. */
  readonly resultStore: ResultStore;
  readonly limiter: Limiter;
  attempt: number;
  signal: AbortSignal;
  /** Calls per task key so far, for dynamic keys ("0", "1", ...). */
  readonly dynamicKeys: Map<string, number>;
  /** Task runs started and not yet finished, with the clock of their states. */
  readonly activeTaskRuns: Map<string, StateClock>;
  /** The clock of the flow run's own states. */
  readonly clock: StateClock;
  /** Set once the flow run has reported its final state; later task states are dropped. */
  finished: boolean;
  /** The earlier attempts' task runs, when this attempt is a retry asked for by hand. */
  retryPlan: RetryPlan | undefined;
}

/** Engine state of one task run. */
export interface TaskRunScope {
  readonly id: string;
  readonly name: string;
  readonly attempt: number;
  readonly signal: AbortSignal;
}

/** What the engine keeps in async local storage while a flow or task runs. */
export interface ExecutionScope {
  readonly flowRun: FlowRunScope;
  readonly taskRun: TaskRunScope | undefined;
  /** Whether console output is captured into the run's logs here. */
  readonly logPrints: boolean;
}

/** The async local storage of the current flow and task run. */
export const executionStorage = new AsyncLocalStorage<ExecutionScope>();

/** The engine scope of the current run, or undefined outside any flow run. */
export function currentScope(): ExecutionScope | undefined {
  return executionStorage.getStore();
}

/** The current run's context. Throws outside a flow run: use it inside a flow or task. */
export function getRunContext(): RunContext {
  const scope = executionStorage.getStore();
  if (!scope) throw new Error("getRunContext() was called outside a flow run");
  const { flowRun, taskRun } = scope;
  return {
    flowRunId: flowRun.id,
    flowName: flowRun.flowName,
    taskRunId: taskRun?.id,
    taskName: taskRun?.name,
    parameters: flowRun.parameters,
    attempt: taskRun?.attempt ?? flowRun.attempt,
    signal: taskRun?.signal ?? flowRun.signal,
  };
}
