import type { State, TaskRun } from "@sluice/contracts";
import type { ExecutionScope } from "../context/run-context.js";
import { logForScope } from "../logging/run-logger.js";
import { readResult } from "../results/result-serializer.js";
import { resolveResultStorage } from "../storage/result-storage.js";
import type { ResultStore } from "../storage/storage.js";
import { makeState, type StateClock } from "./recorder.js";
import { inputsHash } from "./retry-plan.js";

/** A reused result: the value, and the "Reused" state to record on the task run. */
export interface ReusedResult {
  readonly value: unknown;
  readonly state: State;
}

/**
 * For a retry "from-failed": the earlier result of the same call, when that call COMPLETED with a
 * persisted result, for the same inputs, and the result can still be read. Otherwise undefined and
 * the task runs again; a completed call that is run again gets a log line saying why.
 */
export async function reuseEarlierResult(
  earlier: TaskRun,
  args: readonly unknown[],
  store: ResultStore,
  scope: ExecutionScope,
  clock: StateClock,
): Promise<ReusedResult | undefined> {
  const { state } = earlier;
  if (earlier.stateType !== "COMPLETED" || !state) return undefined;
  const rerun = (why: string) => {
    logForScope(scope, 20, `Task run '${earlier.name}' runs again: ${why}`);
    return undefined;
  };
  if (!state.result) {
    return rerun("its earlier result was not persisted (set persistResult: true to reuse it)");
  }
  const recorded = state.details.inputsHash;
  if (recorded === undefined) return rerun("no hash of its earlier inputs was recorded");
  if (recorded !== inputsHash(earlier.taskKey, args)) return rerun("its inputs changed since it completed");
  let value: unknown;
  try {
    value = await readResult(store, state.result, (name) =>
      resolveResultStorage(name, scope.flowRun.session.client),
    );
  } catch (error) {
    return rerun(`its earlier result could not be read (${String(error)})`);
  }
  const reusedFromAttempt = state.details.reusedFromAttempt ?? state.details.flowRunAttempt;
  const details = {
    inputsHash: recorded,
    flowRunAttempt: scope.flowRun.attempt,
    ...(reusedFromAttempt === undefined ? {} : { reusedFromAttempt }),
  };
  const message = `result reused from ${reusedFromAttempt === undefined ? "an earlier attempt" : `attempt ${reusedFromAttempt}`} of the flow run`;
  logForScope(scope, 20, `Task run '${earlier.name}': ${message}; not run again`);
  return { value, state: makeState("Reused", { message, details, result: state.result }, clock) };
}
