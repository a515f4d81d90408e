import type { State } from "@sluice/contracts";
import type { z } from "zod";
import { executeFlow, type RunFlowOptions } from "../engine/flow-engine.js";
import type { FlowOptions } from "./flow-options.js";
import { parameterJsonSchema } from "./parameters.js";

const FLOW_MARKER = Symbol.for("sluice.flow");

/** The parameters argument of a flow call: optional when every parameter is. */
export type FlowArgs<P> = Record<string, never> extends P ? [parameters?: P] : [parameters: P];

/** A flow: call it with its parameters object to run it (and record the run); returns the function's result. */
export interface Flow<P, R> {
  (...args: FlowArgs<P>): Promise<R>;
  readonly flowName: string;
  readonly options: FlowOptions;
  /** JSON schema of the parameters (input side), stored on each flow run for forms; null without a schema. */
  readonly parameterSchema: Record<string, unknown> | null;
  /** The zod schema the parameters are validated with, if any. */
  readonly schema: z.ZodType | undefined;
  readonly fn: (parameters: never) => R | Promise<R>;
  readonly [FLOW_MARKER]: true;
}

/** Options of `flow()` with a zod schema for the parameters. */
export type FlowOptionsWithSchema<S extends z.ZodType> = FlowOptions & {
  /** A zod object schema; parameters are validated with it before a run is created. */
  parameters: S;
};

/** True when `value` was made by `flow()`. */
export function isFlow(value: unknown): value is Flow<Record<string, unknown>, unknown> {
  return typeof value === "function" && (value as unknown as Record<symbol, unknown>)[FLOW_MARKER] === true;
}

/**
 * Wraps an async function taking one parameters object as a flow:
 * `flow({ name: "hello", parameters: z.object({ name: z.string().default("world") }) }, async ({ name }) => ...)`.
 */
export function flow<S extends z.ZodType<Record<string, unknown>>, R>(
  options: FlowOptionsWithSchema<S>,
  fn: (parameters: z.output<S>) => R | Promise<R>,
): Flow<z.input<S>, Awaited<R>>;
export function flow<P extends Record<string, unknown> = Record<string, never>, R = unknown>(
  options: (FlowOptions & { parameters?: undefined }) | string,
  fn: (parameters: P) => R | Promise<R>,
): Flow<P, Awaited<R>>;
export function flow(
  first: (FlowOptions & { parameters?: z.ZodType }) | string,
  fn: (parameters: never) => unknown,
): Flow<Record<string, unknown>, unknown> {
  if (typeof fn !== "function") throw new TypeError("flow() needs a function");
  const { parameters: schema, ...options }: FlowOptions & { parameters?: z.ZodType } =
    typeof first === "string" ? { name: first } : first;
  if (!options.name) throw new TypeError("flow() needs a name");
  if (options.taskConcurrency !== undefined && !(options.taskConcurrency >= 1)) {
    throw new RangeError(`flow '${options.name}': taskConcurrency must be >= 1`);
  }
  const definition = {
    flowName: options.name,
    options,
    parameterSchema: parameterJsonSchema(schema),
    schema,
    fn,
  };
  const call = async (parameters?: unknown) => {
    const outcome = await executeFlow(definition, parameters);
    if ("error" in outcome) throw outcome.error;
    return outcome.result;
  };
  return Object.assign(call, definition, { [FLOW_MARKER]: true as const });
}

/** How `runFlow` ended. */
export interface FlowRunResult<R> {
  flowRunId: string;
  /** The final state as recorded by the server (COMPLETED, FAILED, CANCELLED, CRASHED). */
  state: State;
  /** The flow's return value when COMPLETED. */
  result: R | undefined;
  /** The error of a failed or cancelled run. */
  error?: unknown;
}

/**
 * Runs a flow and reports how it ended instead of throwing on failure (used by `sluice run`).
 * Invalid parameters still throw ParameterValidationError, and no run is created.
 */
export async function runFlow<P, R>(
  flowObject: Flow<P, R>,
  parameters: Partial<P> | Record<string, unknown> = {},
  options: RunFlowOptions = {},
): Promise<FlowRunResult<R>> {
  return executeFlow(flowObject, parameters, options);
}
