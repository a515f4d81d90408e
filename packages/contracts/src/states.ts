import { z } from "zod";
import { ResultRef } from "./results.js";

/** The nine state types. Types drive orchestration; names are for people. */
export const StateType = z.enum([
  "SCHEDULED",
  "PENDING",
  "RUNNING",
  "COMPLETED",
  "FAILED",
  "CANCELLING",
  "CANCELLED",
  "CRASHED",
  "PAUSED",
]);
export type StateType = z.infer<typeof StateType>;

/** States a run never leaves on its own. */
export const TERMINAL_STATE_TYPES: readonly StateType[] = ["COMPLETED", "FAILED", "CANCELLED", "CRASHED"];

/** True when `type` is terminal (COMPLETED, FAILED, CANCELLED, CRASHED). */
export function isTerminalStateType(type: StateType): boolean {
  return TERMINAL_STATE_TYPES.includes(type);
}

/** The named states and the type each refines. A state's name defaults to its type's plain name. */
export const NAMED_STATES = {
  Scheduled: "SCHEDULED",
  Late: "SCHEDULED",
  AwaitingRetry: "SCHEDULED",
  AwaitingConcurrencySlot: "SCHEDULED",
  Pending: "PENDING",
  Running: "RUNNING",
  Retrying: "RUNNING",
  Completed: "COMPLETED",
  Cached: "COMPLETED",
  /** A task run whose earlier result a flow run retried "from-failed" reused instead of running it. */
  Reused: "COMPLETED",
  Failed: "FAILED",
  TimedOut: "FAILED",
  Cancelling: "CANCELLING",
  Cancelled: "CANCELLED",
  Crashed: "CRASHED",
  Paused: "PAUSED",
  Suspended: "PAUSED",
} as const satisfies Record<string, StateType>;
export type StateName = keyof typeof NAMED_STATES;

/** The default name for each state type. */
export const DEFAULT_STATE_NAMES: Record<StateType, StateName> = {
  SCHEDULED: "Scheduled",
  PENDING: "Pending",
  RUNNING: "Running",
  COMPLETED: "Completed",
  FAILED: "Failed",
  CANCELLING: "Cancelling",
  CANCELLED: "Cancelled",
  CRASHED: "Crashed",
  PAUSED: "Paused",
};

/** Extra facts a state carries; every field is optional. */
export const StateDetails = z.object({
  /** When a SCHEDULED state is due. */
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
  /** The cache key a task run was looked up or stored under. */
  cacheKey: z.string().max(2000).optional(),
  /** When the cached value stops being valid. */
  cacheExpiration: z.iso.datetime({ offset: true }).optional(),
  /** Which attempt this state belongs to (1 for the first run). */
  runCount: z.number().int().min(0).optional(),
  /** Set by the engine when a retry is due after a failure. */
  retryAttempt: z.number().int().min(0).optional(),
  /** For TimedOut states: the timeout that elapsed, in seconds. */
  timeoutSeconds: z.number().positive().optional(),
  /** The error class name of a failure. */
  errorName: z.string().max(200).optional(),
  /** The stack of a failure, trimmed by the engine. */
  errorStack: z.string().max(20_000).optional(),
  /** On the SCHEDULED state of a run retried by hand: "all" re-runs every task, "from-failed" reuses results. */
  retryMode: z.enum(["all", "from-failed"]).optional(),
  /** On a task run's COMPLETED state with a persisted result: a hash of the task's arguments. */
  inputsHash: z.string().max(200).optional(),
  /** On a task run's COMPLETED state: the flow run's run count (attempt) that produced it. */
  flowRunAttempt: z.number().int().min(0).optional(),
  /** On a task run's "Reused" state: the flow-run attempt whose result a retry reused. */
  reusedFromAttempt: z.number().int().min(0).optional(),
});
export type StateDetails = z.infer<typeof StateDetails>;

/** A state as stored: a type, a name, a time, an optional message and result reference. */
export const State = z.object({
  id: z.uuid(),
  type: StateType,
  name: z.string().min(1).max(64),
  timestamp: z.iso.datetime({ offset: true }),
  message: z.string().max(10_000).nullable(),
  details: StateDetails,
  result: ResultRef.nullable(),
});
export type State = z.infer<typeof State>;

/** A state proposed by a client; the id and timestamp are filled in when absent. */
export const StateCreate = z.object({
  id: z.uuid().optional(),
  type: StateType,
  name: z.string().min(1).max(64).optional(),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  message: z.string().max(10_000).nullable().optional(),
  details: StateDetails.optional(),
  result: ResultRef.nullable().optional(),
});
export type StateCreate = z.infer<typeof StateCreate>;
