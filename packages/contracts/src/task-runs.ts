import { z } from "zod";
import { PageRequest, Page, Tag, TimeRange, Timestamp } from "./common.js";
import { MAX_BATCH_ITEMS } from "./limits.js";
import { ResultRef } from "./results.js";
import { State, StateType } from "./states.js";

/** Where one input of a task run came from: another task run's result, a flow parameter, or a constant. */
export const TaskInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("task-run"), id: z.uuid() }),
  z.object({ kind: z.literal("parameter"), name: z.string() }),
  z.object({ kind: z.literal("constant"), type: z.string() }),
]);
export type TaskInput = z.infer<typeof TaskInput>;

/** A task run: one call of a task inside a flow run. */
export const TaskRun = z.object({
  id: z.uuid(),
  flowRunId: z.uuid(),
  /** Identifies the task function within its flow (stable across runs). */
  taskKey: z.string(),
  name: z.string(),
  /** Distinguishes calls of the same task within one flow run ("0", "1", ...). */
  dynamicKey: z.string(),
  tags: z.array(Tag),
  /** For each argument name, where its value came from; edges of the flow-run graph. */
  taskInputs: z.record(z.string(), z.array(TaskInput)),
  cacheKey: z.string().nullable(),
  cacheExpiration: Timestamp.nullable(),
  state: State.nullable(),
  stateType: StateType.nullable(),
  stateName: z.string().nullable(),
  runCount: z.number().int(),
  startTime: Timestamp.nullable(),
  endTime: Timestamp.nullable(),
  totalRunTimeMs: z.number(),
  result: ResultRef.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type TaskRun = z.infer<typeof TaskRun>;

/** A task run as announced by the engine before its first state. Ids are chosen by the client. */
export const TaskRunCreate = z.object({
  id: z.uuid(),
  flowRunId: z.uuid(),
  taskKey: z.string().min(1).max(500),
  name: z.string().min(1).max(500),
  dynamicKey: z.string().max(200),
  tags: z.array(Tag).max(100).default([]),
  taskInputs: z.record(z.string(), z.array(TaskInput)).default({}),
  createdAt: Timestamp.optional(),
});
export type TaskRunCreate = z.input<typeof TaskRunCreate>;

/** One state of one task run, with the client-chosen state id that makes re-sending harmless. */
export const TaskRunStateRecord = z.object({
  taskRunId: z.uuid(),
  state: State,
});
export type TaskRunStateRecord = z.infer<typeof TaskRunStateRecord>;

/**
 * A batch of task runs and task-run states, as the engine flushes them off the hot path.
 * Stored idempotently: a task run or state id seen before is skipped.
 */
export const TaskRunBatch = z.object({
  taskRuns: z.array(TaskRunCreate).max(MAX_BATCH_ITEMS).default([]),
  states: z
    .array(TaskRunStateRecord)
    .max(MAX_BATCH_ITEMS * 4)
    .default([]),
});
export type TaskRunBatch = z.input<typeof TaskRunBatch>;

/** What a batch changed: new rows, and those skipped as already stored. */
export const TaskRunBatchResult = z.object({
  taskRunsCreated: z.number().int(),
  statesCreated: z.number().int(),
  duplicatesSkipped: z.number().int(),
});
export type TaskRunBatchResult = z.infer<typeof TaskRunBatchResult>;

/** Filter for listing task runs. */
export const TaskRunFilter = PageRequest.extend({
  flowRunIds: z.array(z.uuid()).max(1000).optional(),
  stateTypes: z.array(StateType).optional(),
  stateNames: z.array(z.string()).max(20).optional(),
  tags: z.array(Tag).max(20).optional(),
  taskKeys: z.array(z.string()).max(100).optional(),
  startTime: TimeRange.optional(),
  sort: z.enum(["CREATED_ASC", "CREATED_DESC", "NAME_ASC"]).default("CREATED_ASC"),
});
export type TaskRunFilter = z.input<typeof TaskRunFilter>;

export const TaskRunPage = Page(TaskRun);
export type TaskRunPage = z.infer<typeof TaskRunPage>;
