import type { TaskInput } from "@sluice/contracts";

/** Promise returned by a task call -> its task run id. */
export const promiseOwners = new WeakMap<object, string>();
/** Object returned by a task run -> that task run's id. */
export const resultOwners = new WeakMap<object, string>();
/** List returned by `task.map` -> the task run ids of its items. */
export const mappedOwners = new WeakMap<object, string[]>();

/** True for promises and other thenables. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

function ownerOf(value: unknown): string | undefined {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return undefined;
  return promiseOwners.get(value) ?? resultOwners.get(value);
}

/** The one parameter holding this value (the same object, or an equal primitive), if exactly one does. */
function parameterNamed(value: unknown, parameters: Readonly<Record<string, unknown>>): string | undefined {
  if (value === undefined || value === null || typeof value === "boolean") return undefined;
  let found: string | undefined;
  for (const name in parameters) {
    if (parameters[name] !== value) continue;
    if (found !== undefined) return undefined;
    found = name;
  }
  return found;
}

function inputOf(value: unknown, parameters: Readonly<Record<string, unknown>>): TaskInput[] {
  const owner = ownerOf(value);
  if (owner) return [{ kind: "task-run", id: owner }];
  const parameter = parameterNamed(value, parameters);
  if (parameter !== undefined) return [{ kind: "parameter", name: parameter }];
  if (value !== null && typeof value === "object") {
    const mapped = mappedOwners.get(value);
    if (mapped) return mapped.map((id) => ({ kind: "task-run", id }));
    if (Array.isArray(value)) {
      const upstream: TaskInput[] = [];
      for (const item of value as unknown[]) {
        const id = ownerOf(item);
        if (id) upstream.push({ kind: "task-run", id });
      }
      if (upstream.length > 0) return upstream;
    }
  }
  return [
    { kind: "constant", type: value === null ? "null" : Array.isArray(value) ? "array" : typeof value },
  ];
}

/**
 * Where each argument came from, keyed by position ("0", "1", ...): another task run's result (its
 * promise or the object it returned), a flow parameter (the same object), or a constant.
 */
export function collectTaskInputs(
  args: readonly unknown[],
  parameters: Readonly<Record<string, unknown>>,
): Record<string, TaskInput[]> {
  const inputs: Record<string, TaskInput[]> = {};
  for (let i = 0; i < args.length; i++) inputs[i] = inputOf(args[i], parameters);
  return inputs;
}
