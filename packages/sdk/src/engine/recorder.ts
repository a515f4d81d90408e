import type { SluiceClient } from "@sluice/client";
import type { State, StateDetails, StateName, TaskRunCreate, TaskRunStateRecord } from "@sluice/contracts";
import { NAMED_STATES } from "@sluice/contracts";
import { randomUUID } from "node:crypto";
import { BackgroundBatcher, type BatcherOptions } from "./background-batcher.js";
import { redactSecrets } from "../logging/secret-redaction.js";

type RecordItem =
  { taskRun: TaskRunCreate; state?: undefined } | { taskRun?: undefined; state: TaskRunStateRecord };

/** Optional fields of a new state. */
export interface StateFields {
  message?: string | null;
  details?: StateDetails;
  result?: State["result"];
}

/**
 * Timestamps for the states of one run, strictly increasing in milliseconds (the server's
 * resolution), so states recorded within the same millisecond keep their order.
 */
export class StateClock {
  private lastMs = 0;

  /** The next timestamp: now, or 1 ms after the previous one. */
  next(): string {
    let ms = Date.now();
    if (ms <= this.lastMs) ms = this.lastMs + 1;
    this.lastMs = ms;
    return new Date(ms).toISOString();
  }
}

/** Builds a state with a client-chosen id and the current time. */
export function makeState(name: StateName, fields: StateFields = {}, clock?: StateClock): State {
  return {
    id: randomUUID(),
    type: NAMED_STATES[name],
    name,
    timestamp: clock ? clock.next() : new Date().toISOString(),
    // Failure messages often quote what went wrong, which can include a loaded secret.
    message: fields.message === undefined || fields.message === null ? null : redactSecrets(fields.message),
    details: fields.details ?? {},
    result: fields.result ?? null,
  };
}

/**
 * Records task runs and their states off the hot path: queued in memory, sent in batches to
 * POST /api/task-runs/batch by size and every ~50 ms, retried on failure (the batch is idempotent).
 */
export class TaskRunRecorder {
  private readonly batcher: BackgroundBatcher<RecordItem>;

  constructor(
    client: SluiceClient,
    options: Pick<BatcherOptions<unknown>, "intervalMs" | "onSendError" | "isPermanent"> = {},
  ) {
    this.batcher = new BackgroundBatcher<RecordItem>({
      intervalMs: options.intervalMs ?? 50,
      onSendError: options.onSendError,
      isPermanent: options.isPermanent,
      send: async (items) => {
        const taskRuns: TaskRunCreate[] = [];
        const states: TaskRunStateRecord[] = [];
        for (const item of items) {
          if (item.taskRun) taskRuns.push(item.taskRun);
          else states.push(item.state);
        }
        await client.recordTaskRuns({ taskRuns, states });
      },
    });
  }

  /** Queues a new task run. */
  addTaskRun(taskRun: TaskRunCreate): void {
    this.batcher.push({ taskRun });
  }

  /** Queues a state of a task run. */
  addState(taskRunId: string, state: State): void {
    this.batcher.push({ state: { taskRunId, state } });
  }

  /** Items not yet sent. */
  get pending(): number {
    return this.batcher.pending;
  }

  /** Sends everything queued; throws FlushError when the API keeps failing. */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /** Stops the background timer. */
  stop(): void {
    this.batcher.stop();
  }
}
