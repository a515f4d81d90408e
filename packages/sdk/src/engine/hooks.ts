import type { State } from "@sluice/contracts";
import { logForScope } from "../logging/run-logger.js";
import type { ExecutionScope } from "../context/run-context.js";

/** One hook or several; each runs in order. */
export type Hooks<I> = ((info: I) => void | Promise<void>) | readonly ((info: I) => void | Promise<void>)[];

/** What a state hook receives. */
export interface HookInfo {
  /** The state the run just entered. */
  readonly state: State;
  /** The run's error, for failures. */
  readonly error?: unknown;
  /** The run's result, for completions. */
  readonly result?: unknown;
}

/** Runs hooks in order. A hook's own error is logged and never changes the run's state. */
export async function runHooks<I extends HookInfo>(
  kind: string,
  hooks: Hooks<I> | undefined,
  info: I,
  scope: ExecutionScope | undefined,
): Promise<void> {
  if (!hooks) return;
  const list = typeof hooks === "function" ? [hooks] : hooks;
  for (const hook of list) {
    try {
      await hook(info);
    } catch (error) {
      const name = hook.name || "anonymous";
      logForScope(
        scope,
        40,
        `${kind} hook '${name}' failed: ${error instanceof Error ? error.stack : String(error)}`,
      );
    }
  }
}
