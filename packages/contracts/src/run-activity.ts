import { z } from "zod";
import { Tag, Timestamp } from "./common.js";
import { StateType } from "./states.js";

/**
 * Longest window the dashboard's counts may span, in days. Unnarrowed counts read hourly counters
 * (docs/decisions/0019); counts narrowed by flow, deployment, tags or flow runs scan the window's
 * runs, so a bound keeps those proportional to a month of runs however many years the tables hold
 * (docs/decisions/0016).
 */
export const MAX_ACTIVITY_WINDOW_DAYS = 31;
/** Most buckets a run-history request may ask for. */
export const MAX_HISTORY_BUCKETS = 500;

const MAX_WINDOW_MS = MAX_ACTIVITY_WINDOW_DAYS * 86_400_000;

/** A time window [since, until): until after since, at most MAX_ACTIVITY_WINDOW_DAYS long. */
const windowShape = { since: Timestamp, until: Timestamp };

function checkWindow(value: { since: string; until: string }, ctx: z.core.$RefinementCtx): void {
  const span = Date.parse(value.until) - Date.parse(value.since);
  if (span <= 0) ctx.addIssue({ code: "custom", path: ["until"], message: "until must be after since" });
  if (span > MAX_WINDOW_MS) {
    ctx.addIssue({
      code: "custom",
      path: ["until"],
      message: `the window spans more than ${MAX_ACTIVITY_WINDOW_DAYS} days`,
    });
  }
}

/** How many runs are in one state (type and name). */
export const StateCount = z.object({
  stateType: StateType,
  stateName: z.string(),
  count: z.number().int().min(0),
});
export type StateCount = z.infer<typeof StateCount>;

/** Counts by state, largest first. */
export const StateCounts = z.object({ items: z.array(StateCount) });
export type StateCounts = z.infer<typeof StateCounts>;

/** Counts flow runs by state among those expected to start in [since, until), optionally narrowed. */
export const FlowRunCountByStateRequest = z
  .strictObject({
    ...windowShape,
    flowNames: z.array(z.string()).max(100).optional(),
    deploymentIds: z.array(z.uuid()).max(100).optional(),
    /** Runs carrying all of these tags. */
    tags: z.array(Tag).max(20).optional(),
  })
  .superRefine(checkWindow);
export type FlowRunCountByStateRequest = z.input<typeof FlowRunCountByStateRequest>;

/** Counts task runs by state among those created in [since, until). */
export const TaskRunCountByStateRequest = z
  .strictObject({ ...windowShape, flowRunIds: z.array(z.uuid()).max(1000).optional() })
  .superRefine(checkWindow);
export type TaskRunCountByStateRequest = z.input<typeof TaskRunCountByStateRequest>;

/** Flow runs per time bucket by state type: [since, until) cut into `buckets` equal buckets. */
export const FlowRunHistoryRequest = z
  .strictObject({
    ...windowShape,
    /** Number of buckets (default 24). */
    buckets: z.number().int().min(1).max(MAX_HISTORY_BUCKETS).default(24),
  })
  .superRefine(checkWindow);
export type FlowRunHistoryRequest = z.input<typeof FlowRunHistoryRequest>;

/** One bucket of the history: runs expected to start in [start, end), by state type (zeros left out). */
export const FlowRunHistoryBucket = z.object({
  start: Timestamp,
  end: Timestamp,
  counts: z.array(z.object({ stateType: StateType, count: z.number().int().min(0) })),
});
export type FlowRunHistoryBucket = z.infer<typeof FlowRunHistoryBucket>;

export const FlowRunHistory = z.object({
  since: Timestamp,
  until: Timestamp,
  buckets: z.array(FlowRunHistoryBucket),
});
export type FlowRunHistory = z.infer<typeof FlowRunHistory>;
