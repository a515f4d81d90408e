import type { SluiceClient } from "@sluice/client";
import {
  isTerminalStateType,
  MAX_PAGE_LIMIT,
  type FlowRun,
  type RetryMode,
  type State,
  type TaskRun,
} from "@sluice/contracts";
import { createHash } from "node:crypto";
import { stableStringify } from "../caching/cache-policy.js";

/**
 * What an attempt of a flow run retried by hand (POST /api/flow-runs/{id}/retry) knows of the
 * earlier attempts: their task runs by (task key, dynamic key). A task call that matches one runs
 * on the SAME task run id, so the run keeps one task run per call (one graph node) and its state
 * history shows every attempt; with mode "from-failed", a match that COMPLETED with a readable
 * result for the same inputs is not run again (see task-run-reuse.ts and decisions/0014).
 */
export class RetryPlan {
  private readonly byCall = new Map<string, TaskRun>();

  constructor(
    readonly mode: RetryMode,
    taskRuns: readonly TaskRun[],
  ) {
    for (const taskRun of taskRuns) this.byCall.set(callKey(taskRun.taskKey, taskRun.dynamicKey), taskRun);
  }

  /** The earlier task run of the same call (task key and dynamic key), if any. */
  match(taskKey: string, dynamicKey: string): TaskRun | undefined {
    return this.byCall.get(callKey(taskKey, dynamicKey));
  }
}

function callKey(taskKey: string, dynamicKey: string): string {
  return `${taskKey}\0${dynamicKey}`;
}

/**
 * How the run was last retried by hand: the state right after its last terminal state, which the
 * server only allows to be the retry's SCHEDULED state. States after it (marked Late, rescheduled
 * when a worker went offline, a crash retry) do not hide it.
 */
export function retryModeOf(states: readonly State[]): RetryMode | undefined {
  const lastEnd = states.findLastIndex((state) => isTerminalStateType(state.type));
  const next = lastEnd >= 0 ? states[lastEnd + 1] : undefined;
  return next?.type === "SCHEDULED" ? next.details.retryMode : undefined;
}

/**
 * The plan for an attempt, or undefined when the run was not retried by hand. Only a run that has
 * run before (run count above 1) can be a retry.
 */
export async function loadRetryPlan(client: SluiceClient, run: FlowRun): Promise<RetryPlan | undefined> {
  if (run.runCount <= 1) return undefined;
  const mode = retryModeOf(await client.readFlowRunStates(run.id));
  if (mode === undefined) return undefined;
  const taskRuns: TaskRun[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.filterTaskRuns({
      flowRunIds: [run.id],
      limit: MAX_PAGE_LIMIT,
      sort: "CREATED_ASC",
      ...(cursor ? { cursor } : {}),
    });
    taskRuns.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return new RetryPlan(mode, taskRuns);
}

/**
 * A stable hash of a task call's arguments (object keys sorted), recorded on COMPLETED states with
 * a persisted result so a retry can tell the same call from a changed one; undefined when the
 * arguments cannot be written as JSON (such a call's result is never reused).
 */
export function inputsHash(taskKey: string, args: readonly unknown[]): string | undefined {
  let text: string;
  try {
    text = stableStringify(args);
  } catch {
    return undefined;
  }
  return createHash("sha256").update(`${taskKey}\0${text}`).digest("hex");
}
