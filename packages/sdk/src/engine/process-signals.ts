import { echoToStderr } from "../logging/run-logger.js";
import type { Session } from "../api-connection/session.js";

/** A flow run this process is executing, as the signal handler sees it. */
export interface ActiveFlowRun {
  readonly session: Session;
  /** Aborts the run and records it (and its unfinished task runs) CANCELLED or CRASHED. */
  interrupt(signal: "SIGINT" | "SIGTERM"): Promise<void>;
}

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
const active = new Set<ActiveFlowRun>();
let installed = false;
let exiting = false;

function onSignal(signal: "SIGINT" | "SIGTERM"): void {
  if (exiting) process.exit(EXIT_CODES[signal]); // a second Ctrl-C: leave now
  exiting = true;
  // SIGTERM of a run being cancelled (a worker stopping it) records CANCELLED instead.
  const outcome = signal === "SIGINT" ? "CANCELLED" : "CRASHED (CANCELLED if being cancelled)";
  echoToStderr(
    30,
    "sluice",
    `Received ${signal}: marking ${active.size} flow run(s) ${outcome} before exiting...`,
  );
  const runs = [...active];
  const deadline = setTimeout(() => process.exit(EXIT_CODES[signal]), 15_000);
  void Promise.allSettled(runs.map((run) => run.interrupt(signal)))
    .then(() => Promise.allSettled([...new Set(runs.map((run) => run.session))].map((s) => s.close())))
    .finally(() => {
      clearTimeout(deadline);
      process.exit(EXIT_CODES[signal]);
    });
}

const onSigint = () => onSignal("SIGINT");
const onSigterm = () => onSignal("SIGTERM");

/** Tracks a running flow run so SIGINT/SIGTERM record it before the process exits. Returns the unregister function. */
export function registerActiveFlowRun(run: ActiveFlowRun): () => void {
  active.add(run);
  if (!installed) {
    installed = true;
    process.on("SIGINT", onSigint);
    process.on("SIGTERM", onSigterm);
  }
  return () => {
    active.delete(run);
    if (active.size === 0 && installed && !exiting) {
      installed = false;
      process.off("SIGINT", onSigint);
      process.off("SIGTERM", onSigterm);
    }
  };
}
