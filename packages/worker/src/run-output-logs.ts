import { randomUUID } from "node:crypto";
import type { SluiceClient } from "@sluice/client";
import { LOG_LEVELS, MAX_LOG_MESSAGE_CHARS, type LogCreate } from "@sluice/contracts";
import type { OutputStream } from "./infrastructure/launcher.js";

/** The logger name of a job's raw output in a flow run's logs. */
export const OUTPUT_LOGGER_NAME = "sluice.worker.output";

/**
 * A line the SDK echoed to stderr for a run's logger (`12:00:01.234 | INFO     | Flow run 'x' - ...`).
 * The SDK sends those lines to the run's logs itself: copying them again would log them twice.
 */
const SDK_RUN_LOG_LINE = /^\d{2}:\d{2}:\d{2}\.\d{3} \| [A-Z0-9]+ *\| (?:Flow run|Task run) '/;

/** True for a line the SDK already recorded in the run's logs. */
export function isSdkRunLogLine(line: string): boolean {
  return SDK_RUN_LOG_LINE.test(line);
}

/** Options of RunOutputLogs. */
export interface RunOutputLogsOptions {
  /** Milliseconds between sends (default 1000). */
  flushMs?: number;
  /** Lines that trigger a send at once (default 500). */
  maxPending?: number;
  /** Told when a batch could not be sent (the lines are dropped, not retried forever). */
  onError: (error: unknown) => void;
}

/** Copies a job's output into its flow run's logs, in batches (stdout at INFO, stderr at ERROR). */
export class RunOutputLogs {
  private pending: LogCreate[] = [];
  private lastTimestampMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  private readonly flushMs: number;
  private readonly maxPending: number;

  constructor(
    private readonly client: Pick<SluiceClient, "createLogs">,
    private readonly flowRunId: string,
    private readonly options: RunOutputLogsOptions,
  ) {
    this.flushMs = options.flushMs ?? 1000;
    this.maxPending = options.maxPending ?? 500;
  }

  /** Queues one output line (SDK run-log echoes are skipped). */
  add(stream: OutputStream, line: string): void {
    if (isSdkRunLogLine(line)) return;
    this.pending.push({
      id: randomUUID(),
      flowRunId: this.flowRunId,
      name: OUTPUT_LOGGER_NAME,
      level: stream === "stdout" ? LOG_LEVELS.INFO : LOG_LEVELS.ERROR,
      message: line.length > MAX_LOG_MESSAGE_CHARS ? line.slice(0, MAX_LOG_MESSAGE_CHARS) : line,
      timestamp: this.nextTimestamp(),
    });
    if (this.pending.length >= this.maxPending) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
  }

  /** Now, or 1 ms after the previous line: lines keep their order when read back by timestamp. */
  private nextTimestamp(): string {
    this.lastTimestampMs = Math.max(Date.now(), this.lastTimestampMs + 1);
    return new Date(this.lastTimestampMs).toISOString();
  }

  /** Sends everything queued; resolves when every earlier send has finished. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) {
      this.sending = this.sending.then(() =>
        this.client.createLogs({ logs: batch }).then(
          () => undefined,
          (error: unknown) => this.options.onError(error),
        ),
      );
    }
    return this.sending;
  }
}
