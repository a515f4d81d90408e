import { z } from "zod";
import { JsonObject, PageRequest, Page, Tag, TimeRange, Timestamp } from "./common.js";
import { ResultRef } from "./results.js";
import { State, StateCreate, StateType } from "./states.js";

/** Retry settings the server applies when a flow run fails. */
export const FlowRunPolicy = z.object({
  /** Retries after a failure (default 0). */
  retries: z.number().int().min(0).max(100).default(0),
  /** Seconds before each retry (default 0). */
  retryDelaySeconds: z.number().min(0).max(86_400).default(0),
  /** Times a CRASHED run (dead process, lost worker) is scheduled again (default 0; deployment runs). */
  crashRetries: z.number().int().min(0).max(100).default(0),
  /**
   * The run count when the run was last retried by hand (POST /api/flow-runs/{id}/retry); automatic
   * retries and crash retries count only the attempts after it (default 0). Set by the server.
   */
  retryBaseRunCount: z.number().int().min(0).default(0),
});
export type FlowRunPolicy = z.infer<typeof FlowRunPolicy>;

/** A flow run: one execution of a flow, with its parameters and current state. */
export const FlowRun = z.object({
  id: z.uuid(),
  name: z.string(),
  flowId: z.uuid(),
  flowName: z.string(),
  /** The task run in a parent flow run that called this flow as a subflow. */
  parentTaskRunId: z.uuid().nullable(),
  parameters: JsonObject,
  tags: z.array(Tag),
  policy: FlowRunPolicy,
  state: State.nullable(),
  stateType: StateType.nullable(),
  stateName: z.string().nullable(),
  /** How many times the run has entered RUNNING. */
  runCount: z.number().int(),
  expectedStartTime: Timestamp,
  startTime: Timestamp.nullable(),
  endTime: Timestamp.nullable(),
  /** Milliseconds spent RUNNING, summed over attempts. */
  totalRunTimeMs: z.number(),
  result: ResultRef.nullable(),
  idempotencyKey: z.string().nullable(),
  /** The deployment that made this run (null for a flow called directly). */
  deploymentId: z.uuid().nullable(),
  /** The deployment schedule that made this run. */
  scheduleId: z.uuid().nullable(),
  autoScheduled: z.boolean(),
  workPoolName: z.string().nullable(),
  workQueueName: z.string().nullable(),
  /** The deployment's job variables merged with the run's own. */
  jobVariables: JsonObject,
  /** When a SCHEDULED run is due; null in any other state. */
  nextScheduledStartTime: Timestamp.nullable(),
  /** The worker that claimed the run. */
  workerId: z.uuid().nullable(),
  /** Where it runs: a process id, container id or Job name, recorded by the worker. */
  infrastructureId: z.string().nullable(),
  /** The last sign of life from the run's process. */
  lastHeartbeatAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type FlowRun = z.infer<typeof FlowRun>;

/**
 * Facts recorded about a run after it was created: the worker records where it launched it; the
 * engine executing a deployment's run records the flow's own retry settings (crashRetries stays).
 */
export const FlowRunUpdate = z.strictObject({
  infrastructureId: z.string().min(1).max(500).nullable().optional(),
  // Not FlowRunPolicy.partial(): zod 4 would fill the omitted fields with their defaults, and an
  // update would then reset crashRetries to 0 instead of keeping it.
  policy: z
    .strictObject({
      retries: FlowRunPolicy.shape.retries.removeDefault().optional(),
      retryDelaySeconds: FlowRunPolicy.shape.retryDelaySeconds.removeDefault().optional(),
      crashRetries: FlowRunPolicy.shape.crashRetries.removeDefault().optional(),
    })
    .optional(),
});
export type FlowRunUpdate = z.input<typeof FlowRunUpdate>;

/** Creates a flow run of a flow named `flowName` (registered on the fly) or of `flowId`. */
export const FlowRunCreate = z
  .object({
    /** A client-chosen id, so a retried create is idempotent. */
    id: z.uuid().optional(),
    flowId: z.uuid().optional(),
    flowName: z.string().min(1).max(200).optional(),
    name: z.string().min(1).max(200).optional(),
    parentTaskRunId: z.uuid().nullable().optional(),
    parameters: JsonObject.default({}),
    /** JSON schema of the flow's parameters, stored for forms. */
    parameterSchema: JsonObject.nullable().optional(),
    tags: z.array(Tag).max(100).default([]),
    policy: FlowRunPolicy.optional(),
    /** Initial state (default SCHEDULED, due now). */
    state: StateCreate.optional(),
    /** Two creates with the same key for the same flow return the same run. */
    idempotencyKey: z.string().min(1).max(500).optional(),
  })
  .refine((v) => v.flowId !== undefined || v.flowName !== undefined, {
    message: "either flowId or flowName is required",
    path: ["flowName"],
  });
export type FlowRunCreate = z.input<typeof FlowRunCreate>;

/** How a run is retried by hand: every task again, or from the failed task on, reusing completed results. */
export const RetryMode = z.enum(["all", "from-failed"]);
export type RetryMode = z.infer<typeof RetryMode>;

/**
 * Retries a finished flow run: it is scheduled again, due now, for a worker to pick up. "all" is
 * allowed from FAILED, CRASHED, CANCELLED and COMPLETED; "from-failed" from the first three.
 */
export const FlowRunRetry = z.strictObject({
  mode: RetryMode.default("all"),
  /** The message of the new SCHEDULED state (default "Retried through the API"). */
  message: z.string().min(1).max(1000).optional(),
});
export type FlowRunRetry = z.input<typeof FlowRunRetry>;

/** Proposes a new state for a flow run; `force` skips the orchestration rules. */
export const SetStateRequest = z.object({
  state: StateCreate,
  force: z.boolean().default(false),
});
export type SetStateRequest = z.input<typeof SetStateRequest>;

/**
 * The outcome of a proposed state. ACCEPT: the returned state is now current (it may differ from the
 * proposal, for example AwaitingRetry instead of Failed). WAIT: propose again after `retryAfterSeconds`.
 * Rejected and aborted transitions are 409 errors, not results.
 */
export const SetStateResult = z.object({
  status: z.enum(["ACCEPT", "WAIT"]),
  state: State,
  reason: z.string().nullable(),
  retryAfterSeconds: z.number().nullable(),
});
export type SetStateResult = z.infer<typeof SetStateResult>;

/** Sort orders for flow runs; each is stable (ties broken by id). */
export const FlowRunSort = z.enum([
  "EXPECTED_START_TIME_DESC",
  "EXPECTED_START_TIME_ASC",
  "CREATED_DESC",
  "CREATED_ASC",
  "NAME_ASC",
]);
export type FlowRunSort = z.infer<typeof FlowRunSort>;

/** Filter for listing flow runs. Every field narrows the result; omitted fields match everything. */
export const FlowRunFilter = PageRequest.extend({
  ids: z.array(z.uuid()).max(1000).optional(),
  flowIds: z.array(z.uuid()).max(100).optional(),
  flowNames: z.array(z.string()).max(100).optional(),
  stateTypes: z.array(StateType).optional(),
  stateNames: z.array(z.string()).max(20).optional(),
  /** Runs carrying all of these tags. */
  tags: z.array(Tag).max(20).optional(),
  /** Runs carrying at least one of these tags. */
  anyTags: z.array(Tag).max(20).optional(),
  /** Subflow runs of this parent task run; null for top-level runs only. */
  parentTaskRunId: z.uuid().nullable().optional(),
  /** Subflow runs called from this flow run. */
  parentFlowRunId: z.uuid().optional(),
  deploymentIds: z.array(z.uuid()).max(100).optional(),
  workPoolNames: z.array(z.string()).max(100).optional(),
  workQueueNames: z.array(z.string()).max(100).optional(),
  expectedStartTime: TimeRange.optional(),
  startTime: TimeRange.optional(),
  sort: FlowRunSort.default("EXPECTED_START_TIME_DESC"),
});
export type FlowRunFilter = z.input<typeof FlowRunFilter>;

export const FlowRunPage = Page(FlowRun);
export type FlowRunPage = z.infer<typeof FlowRunPage>;

/** A node of a flow run's graph: a task run (or subflow call) and the task runs its inputs came from. */
export const FlowRunGraphNode = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(["task-run", "flow-run"]),
  stateType: StateType.nullable(),
  stateName: z.string().nullable(),
  startTime: Timestamp.nullable(),
  endTime: Timestamp.nullable(),
  /** Ids of the task runs whose results fed this one. */
  upstream: z.array(z.uuid()),
  /** For a subflow call: the child flow run. */
  childFlowRunId: z.uuid().nullable(),
});
export const FlowRunGraph = z.object({ flowRunId: z.uuid(), nodes: z.array(FlowRunGraphNode) });
export type FlowRunGraph = z.infer<typeof FlowRunGraph>;
