import { callTask, type TaskDefinition } from "../engine/task-engine.js";
import { mappedOwners, promiseOwners } from "./task-inputs.js";
import type { TaskOptions } from "./task-options.js";

const TASK_MARKER = Symbol.for("sluice.task");
const UNMAPPED_MARKER = Symbol.for("sluice.unmapped");

/** Arguments of a task call: each may also be a promise of its value (another task's result). */
export type TaskArgs<A extends unknown[]> = { [K in keyof A]: A[K] | PromiseLike<A[K]> };

/** A value passed unchanged to every call of `task.map`. */
export interface Unmapped<T> {
  readonly [UNMAPPED_MARKER]: true;
  readonly value: T;
}

/** Arguments of `task.map`: a list per argument (zipped), or `unmapped(value)` for a constant. */
export type MapArgs<A extends unknown[]> = {
  [K in keyof A]: readonly (A[K] | PromiseLike<A[K]>)[] | Unmapped<A[K]>;
};

/** A task: call it like the function; inside a flow run each call is recorded as a task run. */
export interface Task<A extends unknown[], R> extends TaskDefinition<A, R> {
  (...args: TaskArgs<A>): Promise<R>;
  /** Calls the task once per index of the given lists (zipped), concurrently; `unmapped(x)` is passed to every call. */
  readonly map: (...args: MapArgs<A>) => Promise<R[]>;
  readonly [TASK_MARKER]: true;
}

/** Marks a value to be passed as-is to every call of `task.map`. */
export function unmapped<T>(value: T): Unmapped<T> {
  return { [UNMAPPED_MARKER]: true, value };
}

function isUnmapped(value: unknown): value is Unmapped<unknown> {
  return typeof value === "object" && value !== null && UNMAPPED_MARKER in value;
}

/** True when `value` was made by `task()`. */
export function isTask(value: unknown): value is Task<unknown[], unknown> {
  return typeof value === "function" && (value as unknown as Record<symbol, unknown>)[TASK_MARKER] === true;
}

/**
 * Wraps a function as a task: `task({ name: "add", retries: 3 }, async (a: number, b: number) => a + b)`,
 * `task("add", fn)`, or `task(fn)` (named after the function).
 */
export function task<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>): Task<A, Awaited<R>>;
export function task<A extends unknown[], R>(
  options: TaskOptions<A> | string,
  fn: (...args: A) => R | Promise<R>,
): Task<A, Awaited<R>>;
export function task<A extends unknown[], R>(
  first: TaskOptions<A> | string | ((...args: A) => R | Promise<R>),
  second?: (...args: A) => R | Promise<R>,
): Task<A, Awaited<R>> {
  const fn = typeof first === "function" ? first : second;
  if (typeof fn !== "function") throw new TypeError("task() needs a function");
  const options: TaskOptions<A> =
    typeof first === "function" ? {} : typeof first === "string" ? { name: first } : { ...first };
  const taskName = options.name ?? fn.name;
  if (!taskName) throw new TypeError("task() needs a name: pass { name } or a named function");
  validateOptions(taskName, options);
  const definition = { taskName, options, fn: fn as (...args: A) => Promise<Awaited<R>> };
  const call = (...args: unknown[]) => callTask(definition, args);
  const map = (...lists: unknown[]) => {
    const mapped = lists.filter((list) => !isUnmapped(list)) as unknown[][];
    const length = mapped[0]?.length ?? 0;
    if (mapped.some((list) => !Array.isArray(list) || list.length !== length)) {
      throw new TypeError(`${taskName}.map: every mapped argument must be a list of the same length`);
    }
    const calls = Array.from({ length }, (_, i) =>
      callTask(
        definition,
        lists.map((list) => (isUnmapped(list) ? list.value : (list as unknown[])[i])),
      ),
    );
    const ids = calls.map((call) => promiseOwners.get(call));
    return Promise.all(calls).then((results) => {
      if (ids.every((id) => id !== undefined)) mappedOwners.set(results, ids);
      return results;
    });
  };
  return Object.assign(call, definition, { map, [TASK_MARKER]: true as const });
}

function validateOptions(name: string, options: TaskOptions<never>): void {
  if (options.retries !== undefined && (!Number.isInteger(options.retries) || options.retries < 0)) {
    throw new RangeError(`task '${name}': retries must be a whole number >= 0`);
  }
  if (options.retryJitterFactor !== undefined && options.retryJitterFactor < 0) {
    throw new RangeError(`task '${name}': retryJitterFactor must be >= 0`);
  }
  if (options.timeoutSeconds !== undefined && !(options.timeoutSeconds > 0)) {
    throw new RangeError(`task '${name}': timeoutSeconds must be > 0`);
  }
}
