import type { TaskRun } from "@sluice/contracts";
import { randomUUID } from "node:crypto";
import { executionStorage, type ExecutionScope } from "../context/run-context.js";
import { collectTaskInputs, isThenable, promiseOwners, resultOwners } from "../tasks/task-inputs.js";
import { makeState, StateClock } from "./recorder.js";
import { record, TaskRunExecution, type TaskDefinition } from "./task-run-execution.js";
import { reuseEarlierResult } from "./task-run-reuse.js";

export type { TaskDefinition } from "./task-run-execution.js";

/** Awaits thenable arguments (task results passed along before they finished). */
function resolveArgs(args: readonly unknown[]): Promise<unknown[]> | undefined {
  for (const arg of args) if (isThenable(arg)) return Promise.all(args);
  return undefined;
}

/**
 * Calls a task: inside a flow run it is recorded as a task run (states queued for the recorder);
 * outside any flow it just runs the function.
 */
export function callTask<A extends unknown[], R>(
  task: TaskDefinition<A, R>,
  args: readonly unknown[],
): Promise<R> {
  const scope = executionStorage.getStore();
  // Outside a flow run, or in one that has already ended (a task left running): just call the function.
  if (!scope || scope.flowRun.finished) {
    const pending = resolveArgs(args);
    return pending
      ? pending.then((a) => task.fn(...(a as A)))
      : Promise.resolve().then(() => task.fn(...(args as A)));
  }
  const { flowRun } = scope;
  const n = flowRun.dynamicKeys.get(task.taskName) ?? 0;
  flowRun.dynamicKeys.set(task.taskName, n + 1);
  // A retried flow run's call keeps the task run id of the same call in the earlier attempts.
  const earlier = flowRun.retryPlan?.match(task.taskName, String(n));
  const id = earlier?.id ?? randomUUID();
  const promise = runTaskInFlow(task, { id, n, earlier }, args, scope);
  promiseOwners.set(promise, id);
  return promise;
}

/** Which task run a call is: its id, its dynamic key, and the same call's task run in earlier attempts. */
interface TaskCall {
  readonly id: string;
  readonly n: number;
  readonly earlier: TaskRun | undefined;
}

/** A retry "from-failed" may reuse the result of a call that completed before (task-run-reuse.ts). */
function mayReuse(scope: ExecutionScope, earlier: TaskRun | undefined): earlier is TaskRun {
  return scope.flowRun.retryPlan?.mode === "from-failed" && earlier?.stateType === "COMPLETED";
}

async function runTaskInFlow<A extends unknown[], R>(
  task: TaskDefinition<A, R>,
  { id, n, earlier }: TaskCall,
  rawArgs: readonly unknown[],
  scope: ExecutionScope,
): Promise<R> {
  const flowRun = scope.flowRun;
  const name = `${task.taskName}-${n}`;
  const clock = new StateClock();
  const pendingState = makeState("Pending", {}, clock);
  if (!earlier) {
    flowRun.session.recorder.addTaskRun({
      id,
      createdAt: pendingState.timestamp,
      flowRunId: flowRun.id,
      taskKey: task.taskName,
      name,
      dynamicKey: String(n),
      tags: task.options.tags ?? [],
      taskInputs: collectTaskInputs(rawArgs, flowRun.parameters),
    });
  }
  // A call that may be reused records nothing until it is known to run: its task run stays as
  // the earlier attempt left it (COMPLETED) unless it runs again.
  const reusable = mayReuse(scope, earlier);
  if (!reusable) record(flowRun, id, pendingState);
  flowRun.activeTaskRuns.set(id, clock);
  // Nested tasks do not take a slot: their caller holds one, and waiting for another could deadlock.
  const limited = scope.taskRun === undefined;
  try {
    let args = rawArgs as A;
    const pending = resolveArgs(rawArgs);
    if (pending) {
      try {
        args = (await pending) as A;
      } catch (error) {
        record(
          flowRun,
          id,
          makeState("Failed", { message: `An upstream task failed: ${String(error)}` }, clock),
        );
        throw error;
      }
    }
    if (reusable) {
      const store = TaskRunExecution.resultStoreOf(task, flowRun);
      const reused = await reuseEarlierResult(earlier, args, store, scope, clock);
      if (reused) {
        record(flowRun, id, reused.state);
        if (reused.value !== null && typeof reused.value === "object") resultOwners.set(reused.value, id);
        return reused.value as R;
      }
      record(flowRun, id, makeState("Pending", {}, clock));
    }
    if (limited) {
      const wait = flowRun.limiter.acquire();
      if (wait) await wait;
    }
    try {
      return await new TaskRunExecution(task, id, name, args, scope, clock, earlier !== undefined).execute();
    } finally {
      if (limited) flowRun.limiter.release();
    }
  } finally {
    flowRun.activeTaskRuns.delete(id);
  }
}
