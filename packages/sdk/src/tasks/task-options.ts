import type { CacheKeyFn, CachePolicy } from "../caching/cache-policy.js";
import type { HookInfo, Hooks } from "../engine/hooks.js";
import type { ResultStorage } from "../storage/result-storage.js";
import type { RetryCondition, RetryDelaySeconds } from "../retries/retry-policy.js";

/** What a task's state hooks receive. */
export interface TaskHookInfo<A extends unknown[] = unknown[]> extends HookInfo {
  readonly taskRunId: string;
  readonly taskName: string;
  readonly flowRunId: string;
  readonly args: A;
}

/** Options of `task(options, fn)`. */
export interface TaskOptions<A extends unknown[] = unknown[]> {
  /** The task's name and key (default: the function's name). */
  name?: string;
  /** Shown in the UI (default: none). */
  description?: string;
  /** Tags on each task run (default: none). */
  tags?: string[];
  /** Retries after a failure (default 0). */
  retries?: number;
  /** Seconds before each retry: a number, a list per retry, or a function of the attempt (default 0). */
  retryDelaySeconds?: RetryDelaySeconds;
  /** Spreads each delay randomly over [delay, delay * (1 + factor)] (default: no jitter). */
  retryJitterFactor?: number;
  /** Retry only when this returns true for the error and attempt (default: always retry). */
  retryCondition?: RetryCondition;
  /** Fail the run as TimedOut after this many seconds; the run's signal is aborted (default: none). */
  timeoutSeconds?: number;
  /** How the cache key is computed: "inputs", "flowParameters" or "none" (default "none"). */
  cachePolicy?: CachePolicy;
  /** A custom cache key; takes precedence over `cachePolicy` (default: none). */
  cacheKeyFn?: CacheKeyFn<A>;
  /** Seconds a cached value stays valid (default: forever). */
  cacheExpirationSeconds?: number;
  /** Run even on a cache hit, and store the new value (default false). */
  refreshCache?: boolean;
  /** Persist the result to the result store (default: true when the task is cached, else false). */
  persistResult?: boolean;
  /** Where results and cache entries go: a storage block, "local", or a Storage (default: the flow's). */
  resultStorage?: ResultStorage;
  /** Capture console output into the run's logs (default: inherit from the flow). */
  logPrints?: boolean;
  /** Called when a run completes (including cache hits). */
  onCompletion?: Hooks<TaskHookInfo<A>>;
  /** Called when a run fails for good (after its retries). */
  onFailure?: Hooks<TaskHookInfo<A>>;
  /** Called when a run starts running. */
  onRunning?: Hooks<TaskHookInfo<A>>;
}
