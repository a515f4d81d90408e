import { SluiceApiError, type SluiceClient } from "@sluice/client";
import type { LogCreate } from "@sluice/contracts";
import { BackgroundBatcher } from "../engine/background-batcher.js";
import { TaskRunRecorder } from "../engine/recorder.js";
import { echoToStderr } from "../logging/run-logger.js";
import type { ResultStore } from "../storage/storage.js";

/** One connection to a Sluice API: the client, the task-run recorder and the log shipper. */
export interface Session {
  readonly client: SluiceClient;
  readonly recorder: TaskRunRecorder;
  readonly logs: BackgroundBatcher<LogCreate>;
  /** Where results and the cache index go by default. */
  readonly resultStore: ResultStore;
  /** True when the server was started in this process for this run. */
  readonly ephemeral: boolean;
  /** Sends everything queued (task runs first, then logs). */
  flush(): Promise<void>;
  /** Flushes, stops timers and closes an ephemeral server. */
  close(): Promise<void>;
}

/** A 4xx answer other than 408/429: the server refused the batch, and sending it again cannot help. */
function isRefusal(error: unknown): boolean {
  return (
    error instanceof SluiceApiError &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 408 &&
    error.status !== 429
  );
}

/** Builds a session over a client. `onClose` runs last (closing an ephemeral server). */
export function createSession(
  client: SluiceClient,
  resultStore: ResultStore,
  options: { ephemeral?: boolean; onClose?: () => Promise<void> } = {},
): Session {
  let warned = false;
  const warnOnce = (what: string) => (error: unknown) => {
    if (warned) return;
    warned = true;
    echoToStderr(30, "sluice", `sending ${what} failed, will retry: ${String(error)}`);
  };
  const recorder = new TaskRunRecorder(client, {
    onSendError: warnOnce("task runs"),
    isPermanent: isRefusal,
  });
  const logs = new BackgroundBatcher<LogCreate>({
    intervalMs: 100,
    onSendError: warnOnce("logs"),
    isPermanent: isRefusal,
    send: async (batch) => {
      await client.createLogs({ logs: batch });
    },
  });
  const flush = async () => {
    await recorder.flush();
    await logs.flush();
  };
  // Queued items are sent by unref'd timers, which do not keep the process alive: when the event
  // loop empties with items still queued (a script that ran a flow and returned), send them first.
  // One try at exit: when the API cannot be reached, say what is lost and exit non-zero, rather than
  // retrying forever and keeping a finished script alive.
  const onBeforeExit = () => {
    if (recorder.pending + logs.pending === 0) return;
    process.off("beforeExit", onBeforeExit);
    flush().catch((error: unknown) => {
      const unsent = recorder.pending + logs.pending;
      recorder.stop();
      logs.stop();
      process.exitCode = 1;
      echoToStderr(40, "sluice", `${unsent} queued item(s) could not be sent before exit: ${String(error)}`);
    });
  };
  process.on("beforeExit", onBeforeExit);
  let closing: Promise<void> | undefined;
  return {
    client,
    recorder,
    logs,
    resultStore,
    ephemeral: options.ephemeral ?? false,
    flush,
    close() {
      closing ??= (async () => {
        process.off("beforeExit", onBeforeExit);
        try {
          await flush();
        } finally {
          recorder.stop();
          logs.stop();
          await options.onClose?.();
        }
      })();
      return closing;
    },
  };
}
