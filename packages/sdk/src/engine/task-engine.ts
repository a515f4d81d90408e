import { randomUUID } from "node:crypto";
import type { ResultRef, State } from "@sluice/contracts";
import { lookupCache, writeCacheEntry } from "../caching/cache-index.js";
import { computeCacheKey } from "../caching/cache-policy.js";
import { executionStorage, type ExecutionScope, type FlowRunScope } from "../context/run-context.js";
import { captureConsole } from "../logging/log-prints.js";
import { logForScope } from "../logging/run-logger.js";
import { persistResult, ResultSerializationError } from "../results/result-serializer.js";
import { applyJitter, retryDelayFor, sleep } from "../retries/retry-policy.js";
import { collectTaskInputs, isThenable, promiseOwners, resultOwners } from "../tasks/task-inputs.js";
import type { TaskHookInfo, TaskOptions } from "../tasks/task-options.js";
import { runHooks } from "./hooks.js";
import { makeState, StateClock } from "./recorder.js";
import { failedState, runAttempt } from "./run-attempt.js";

/** What the engine needs of a task. */
export interface TaskDefinition<A extends unknown[], R> {
  readonly taskName: string;
  readonly options: TaskOptions<A>;
  readonly fn: (...args: A) => R | Promise<R>;
}

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
  if (!scope) {
    const pending = resolveArgs(args);
    return pending
      ? pending.then((a) => task.fn(...(a as A)))
      : Promise.resolve().then(() => task.fn(...(args as A)));
  }
  const id = randomUUID();
  const promise = runTaskInFlow(task, id, args, scope);
  promiseOwners.set(promise, id);
  return promise;
}

async function runTaskInFlow<A extends unknown[], R>(
  task: TaskDefinition<A, R>,
  id: string,
  rawArgs: readonly unknown[],
  scope: ExecutionScope,
): Promise<R> {
  const flowRun = scope.flowRun;
  const n = flowRun.dynamicKeys.get(task.taskName) ?? 0;
  flowRun.dynamicKeys.set(task.taskName, n + 1);
  const name = `${task.taskName}-${n}`;
  const clock = new StateClock();
  const pendingState = makeState("Pending", {}, clock);
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
  record(flowRun, id, pendingState);
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
    if (limited) {
      const wait = flowRun.limiter.acquire();
      if (wait) await wait;
    }
    try {
      return await executeTaskRun(task, id, name, args, scope, clock);
    } finally {
      if (limited) flowRun.limiter.release();
    }
  } finally {
    flowRun.activeTaskRuns.delete(id);
  }
}

/** Queues a task-run state unless the flow run has already ended (its task runs were closed then). */
function record(flowRun: FlowRunScope, taskRunId: string, state: State): void {
  if (!flowRun.finished) flowRun.session.recorder.addState(taskRunId, state);
}

async function executeTaskRun<A extends unknown[], R>(
  task: TaskDefinition<A, R>,
  id: string,
  name: string,
  args: A,
  scope: ExecutionScope,
  clock: StateClock,
): Promise<R> {
  const { options } = task;
  const flowRun = scope.flowRun;
  const store = options.resultStore ?? flowRun.session.resultStore;
  const cacheKey = computeCacheKey(
    options.cachePolicy,
    options.cacheKeyFn,
    {
      taskKey: task.taskName,
      taskName: task.taskName,
      flowRunId: flowRun.id,
      flowName: flowRun.flowName,
      parameters: flowRun.parameters,
    },
    args,
  );
  const hookInfo = (state: State, extra: { error?: unknown; result?: unknown } = {}): TaskHookInfo<A> => ({
    state,
    taskRunId: id,
    taskName: task.taskName,
    flowRunId: flowRun.id,
    args,
    ...extra,
  });
  if (cacheKey !== undefined && !options.refreshCache) {
    const hit = await lookupCache(store, cacheKey);
    if (hit) {
      const details = {
        cacheKey,
        ...(hit.entry.expiration ? { cacheExpiration: hit.entry.expiration } : {}),
      };
      const state = makeState("Cached", { details, result: hit.entry.result }, clock);
      record(flowRun, id, state);
      await runHooks("onCompletion", options.onCompletion, hookInfo(state, { result: hit.value }), scope);
      return hit.value as R;
    }
  }
  const logPrints = options.logPrints ?? scope.logPrints;
  const release = logPrints ? captureConsole() : undefined;
  try {
    for (let attempt = 1; ; attempt++) {
      const running = makeState(
        attempt === 1 ? "Running" : "Retrying",
        { details: { runCount: attempt } },
        clock,
      );
      record(flowRun, id, running);
      if (attempt === 1 && options.onRunning)
        await runHooks("onRunning", options.onRunning, hookInfo(running), scope);
      try {
        const value = await runAttempt("Task", options.timeoutSeconds, flowRun.signal, (signal) =>
          executionStorage.run(
            { flowRun, taskRun: { id, name, attempt, signal }, logPrints },
            () => task.fn(...args) as Promise<R>,
          ),
        );
        let result: ResultRef | null = null;
        const expiration =
          options.cacheExpirationSeconds === undefined
            ? null
            : new Date(Date.now() + options.cacheExpirationSeconds * 1000).toISOString();
        if (options.persistResult ?? cacheKey !== undefined) {
          result = await persistResult(store, `results/${id}.json`, value).catch((error: unknown) => {
            // A cached task whose value is not JSON runs uncached rather than failing.
            if (options.persistResult || !(error instanceof ResultSerializationError)) throw error;
            logForScope(scope, 30, `Task '${task.taskName}': result not cached: ${error.message}`);
            return null;
          });
          if (result && cacheKey !== undefined) await writeCacheEntry(store, cacheKey, result, expiration);
        }
        const details =
          cacheKey === undefined
            ? { runCount: attempt }
            : { runCount: attempt, cacheKey, ...(expiration ? { cacheExpiration: expiration } : {}) };
        const completed = makeState("Completed", { details, result }, clock);
        record(flowRun, id, completed);
        if (value !== null && typeof value === "object") resultOwners.set(value, id);
        if (options.onCompletion)
          await runHooks("onCompletion", options.onCompletion, hookInfo(completed, { result: value }), scope);
        return value;
      } catch (error) {
        if (!flowRun.signal.aborted && (await shouldRetry(options, error, attempt, scope))) {
          const delay = applyJitter(
            retryDelayFor(options.retryDelaySeconds, attempt),
            options.retryJitterFactor,
          );
          const scheduledTime = new Date(Date.now() + delay * 1000).toISOString();
          record(
            flowRun,
            id,
            makeState("AwaitingRetry", { details: { scheduledTime, retryAttempt: attempt } }, clock),
          );
          logForScope(
            { flowRun, taskRun: { id, name, attempt, signal: flowRun.signal }, logPrints },
            30,
            `Attempt ${attempt} failed (${String(error)}); retrying in ${delay.toFixed(2)} s`,
          );
          await sleep(delay * 1000, flowRun.signal);
          continue;
        }
        const failed = failedState(error, attempt, clock);
        record(flowRun, id, failed);
        if (options.onFailure)
          await runHooks("onFailure", options.onFailure, hookInfo(failed, { error }), scope);
        throw error;
      }
    }
  } finally {
    release?.();
  }
}

async function shouldRetry(
  options: TaskOptions<never>,
  error: unknown,
  attempt: number,
  scope: ExecutionScope,
): Promise<boolean> {
  if (attempt > (options.retries ?? 0)) return false;
  if (!options.retryCondition) return true;
  try {
    return await options.retryCondition(error, attempt);
  } catch (conditionError) {
    logForScope(scope, 40, `retryCondition failed, not retrying: ${String(conditionError)}`);
    return false;
  }
}
