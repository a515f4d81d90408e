import type { ResultRef, State, StateDetails } from "@sluice/contracts";
import { lookupCache, writeCacheEntry } from "../caching/cache-index.js";
import { computeCacheKey } from "../caching/cache-policy.js";
import { executionStorage, type ExecutionScope, type FlowRunScope } from "../context/run-context.js";
import { captureConsole } from "../logging/log-prints.js";
import { logForScope } from "../logging/run-logger.js";
import { persistResult, ResultSerializationError } from "../results/result-serializer.js";
import { resolveResultStorage } from "../storage/result-storage.js";
import type { ResultStore } from "../storage/storage.js";
import { applyJitter, retryDelayFor, sleep } from "../retries/retry-policy.js";
import { resultOwners } from "../tasks/task-inputs.js";
import type { TaskHookInfo, TaskOptions } from "../tasks/task-options.js";
import { runHooks } from "./hooks.js";
import { makeState, type StateClock } from "./recorder.js";
import { inputsHash } from "./retry-plan.js";
import { failedState, runAttempt } from "./run-attempt.js";

/** What the engine needs of a task. */
export interface TaskDefinition<A extends unknown[], R> {
  readonly taskName: string;
  readonly options: TaskOptions<A>;
  readonly fn: (...args: A) => R | Promise<R>;
}

/** Queues a task-run state unless the flow run has already ended (its task runs were closed then). */
export function record(flowRun: FlowRunScope, taskRunId: string, state: State): void {
  if (!flowRun.finished) flowRun.session.recorder.addState(taskRunId, state);
}

/** One task run once its arguments are resolved and it holds a slot: cache lookup, attempts, retries. */
export class TaskRunExecution<A extends unknown[], R> {
  private readonly options: TaskOptions<A>;
  private readonly flowRun: FlowRunScope;
  private readonly store: ResultStore;
  private readonly cacheKey: string | undefined;
  private readonly logPrints: boolean;

  constructor(
    private readonly task: TaskDefinition<A, R>,
    private readonly id: string,
    private readonly name: string,
    private readonly args: A,
    private readonly scope: ExecutionScope,
    private readonly clock: StateClock,
    /** The task run ran in an earlier attempt of a flow run retried by hand: it runs again. */
    private readonly isRerun = false,
  ) {
    this.options = task.options;
    this.flowRun = scope.flowRun;
    this.store = TaskRunExecution.resultStoreOf(task, this.flowRun);
    this.logPrints = this.options.logPrints ?? scope.logPrints;
    const { flowRun } = this;
    this.cacheKey = computeCacheKey(
      this.options.cachePolicy,
      this.options.cacheKeyFn,
      {
        taskKey: task.taskName,
        taskName: task.taskName,
        flowRunId: flowRun.id,
        flowName: flowRun.flowName,
        parameters: flowRun.parameters,
      },
      args,
    );
  }

  /** Where a task's results go: its own result storage, else its flow run's. */
  static resultStoreOf(task: TaskDefinition<never, unknown>, flowRun: FlowRunScope): ResultStore {
    return task.options.resultStorage
      ? resolveResultStorage(task.options.resultStorage, flowRun.session.client)
      : flowRun.resultStore;
  }

  private info(state: State, extra: { error?: unknown; result?: unknown } = {}): TaskHookInfo<A> {
    return {
      state,
      taskRunId: this.id,
      taskName: this.task.taskName,
      flowRunId: this.flowRun.id,
      args: this.args,
      ...extra,
    };
  }

  private state(name: Parameters<typeof makeState>[0], fields: Parameters<typeof makeState>[1] = {}): State {
    const state = makeState(name, fields, this.clock);
    record(this.flowRun, this.id, state);
    return state;
  }

  async execute(): Promise<R> {
    if (this.cacheKey !== undefined && !this.options.refreshCache) {
      const cached = await this.fromCache(this.cacheKey);
      if (cached) return cached.value;
    }
    const release = this.logPrints ? captureConsole() : undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        const running = this.state(attempt === 1 && !this.isRerun ? "Running" : "Retrying", {
          details: { runCount: attempt },
        });
        if (attempt === 1 && this.options.onRunning) {
          await runHooks("onRunning", this.options.onRunning, this.info(running), this.scope);
        }
        let value: R;
        try {
          value = await this.attempt(attempt);
          return await this.complete(value, attempt);
        } catch (error) {
          if (!(await this.retryAfter(error, attempt))) throw error;
        }
      }
    } finally {
      release?.();
    }
  }

  /** A valid cache entry ends the run as Cached, with the stored value. */
  private async fromCache(cacheKey: string): Promise<{ value: R } | undefined> {
    const hit = await lookupCache(this.store, cacheKey, (name) =>
      resolveResultStorage(name, this.flowRun.session.client),
    );
    if (!hit) return undefined;
    const details = { cacheKey, ...(hit.entry.expiration ? { cacheExpiration: hit.entry.expiration } : {}) };
    const state = this.state("Cached", { details, result: hit.entry.result });
    await runHooks(
      "onCompletion",
      this.options.onCompletion,
      this.info(state, { result: hit.value }),
      this.scope,
    );
    return { value: hit.value as R };
  }

  private attempt(attempt: number): Promise<R> {
    const { flowRun, id, name, logPrints } = this;
    return runAttempt("Task", this.options.timeoutSeconds, flowRun.signal, (signal) =>
      executionStorage.run(
        { flowRun, taskRun: { id, name, attempt, signal }, logPrints },
        () => this.task.fn(...this.args) as Promise<R>,
      ),
    );
  }

  private async complete(value: R, attempt: number): Promise<R> {
    const { options, cacheKey } = this;
    const expiration =
      options.cacheExpirationSeconds === undefined
        ? null
        : new Date(Date.now() + options.cacheExpirationSeconds * 1000).toISOString();
    let result: ResultRef | null = null;
    if (options.persistResult ?? cacheKey !== undefined) {
      result = await persistResult(this.store, `results/${this.id}.json`, value).catch((error: unknown) => {
        // A cached task whose value is not JSON runs uncached rather than failing.
        if (options.persistResult || !(error instanceof ResultSerializationError)) throw error;
        logForScope(this.scope, 30, `Task '${this.task.taskName}': result not cached: ${error.message}`);
        return null;
      });
      if (result && cacheKey !== undefined) await writeCacheEntry(this.store, cacheKey, result, expiration);
    }
    const details: StateDetails = { runCount: attempt };
    if (cacheKey !== undefined) {
      details.cacheKey = cacheKey;
      if (expiration) details.cacheExpiration = expiration;
    }
    if (result) {
      // What a retry "from-failed" checks before reusing this result (task-run-reuse.ts).
      details.flowRunAttempt = this.flowRun.attempt;
      const hash = inputsHash(this.task.taskName, this.args);
      if (hash !== undefined) details.inputsHash = hash;
    }
    const completed = this.state("Completed", { details, result });
    if (value !== null && typeof value === "object") resultOwners.set(value, this.id);
    if (options.onCompletion) {
      await runHooks(
        "onCompletion",
        options.onCompletion,
        this.info(completed, { result: value }),
        this.scope,
      );
    }
    return value;
  }

  /** Records AwaitingRetry and waits when a retry is due (true); otherwise records the failure (false). */
  private async retryAfter(error: unknown, attempt: number): Promise<boolean> {
    const { options, flowRun } = this;
    if (!flowRun.signal.aborted && (await this.shouldRetry(error, attempt))) {
      const delay = applyJitter(retryDelayFor(options.retryDelaySeconds, attempt), options.retryJitterFactor);
      const scheduledTime = new Date(Date.now() + delay * 1000).toISOString();
      this.state("AwaitingRetry", { details: { scheduledTime, retryAttempt: attempt } });
      const taskRun = { id: this.id, name: this.name, attempt, signal: flowRun.signal };
      const message = `Attempt ${attempt} failed (${String(error)}); retrying in ${delay.toFixed(2)} s`;
      logForScope({ flowRun, taskRun, logPrints: this.logPrints }, 30, message);
      await sleep(delay * 1000, flowRun.signal);
      return true;
    }
    const failed = failedState(error, attempt, this.clock);
    record(flowRun, this.id, failed);
    // The task run's own logs say why it failed, with the stack: the UI's task run page shows them.
    const taskRun = { id: this.id, name: this.name, attempt, signal: flowRun.signal };
    const why = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    logForScope(
      { flowRun, taskRun, logPrints: this.logPrints },
      40,
      `Finished in state ${failed.name}: ${why}`,
    );
    if (options.onFailure)
      await runHooks("onFailure", options.onFailure, this.info(failed, { error }), this.scope);
    return false;
  }

  private async shouldRetry(error: unknown, attempt: number): Promise<boolean> {
    if (attempt > (this.options.retries ?? 0)) return false;
    if (!this.options.retryCondition) return true;
    try {
      return await this.options.retryCondition(error, attempt);
    } catch (conditionError) {
      logForScope(this.scope, 40, `retryCondition failed, not retrying: ${String(conditionError)}`);
      return false;
    }
  }
}
