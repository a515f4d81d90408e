import type { FlowRun, JsonObject, WorkPoolType } from "@sluice/contracts";

/** Which output stream a line came from. */
export type OutputStream = "stdout" | "stderr";

/** Receives the job's output one line at a time (without the newline). */
export type OutputSink = (stream: OutputStream, line: string) => void;

/** Everything a launcher needs to start one claimed flow run. */
export interface JobRequest {
  flowRun: Pick<FlowRun, "id" | "name">;
  /** The pool's job configuration rendered with the run's job variables. */
  configuration: JsonObject;
  /** The deployment's project directory, from the claim (the process launcher's default cwd). */
  deploymentPath: string | null;
  /**
   * The argv that executes the flow run: the job's command when it sets one, else the launcher's
   * default with the run's id appended.
   */
  command: string[];
  /** The job's environment, with SLUICE_API_URL and SLUICE_FLOW_RUN_ID added. */
  env: Record<string, string>;
  /** The job's name (default: the flow run's name). */
  name: string;
  /** Labels for the infrastructure, with `sluice.flow-run-id` added. */
  labels: Record<string, string>;
}

/** How a job ended: an exit code, or the signal that killed it. */
export interface JobExit {
  exitCode: number | null;
  signal: string | null;
}

/** How a process job started: handed to a warm spare, or spawned for the run (and why). */
export type JobStart = { warm: true } | { warm: false; reason: string };

/** A job that started. */
export interface LaunchedJob {
  /** Where it runs: a pid, a container id, `namespace/job-name`. Recorded on the flow run. */
  readonly infrastructureId: string;
  /** Resolves when the job has ended and its output has been read to the end. */
  readonly exited: Promise<JobExit>;
  /** Sends a signal (SIGTERM asks it to stop; SIGKILL stops it at once). */
  signal(signal: NodeJS.Signals): Promise<void>;
  /** Process jobs: warm or cold. */
  readonly start?: JobStart;
}

/** Starts jobs on one kind of infrastructure: one implementation per work-pool type. */
export interface Launcher {
  readonly type: WorkPoolType;
  /** The argv prefix that executes a flow run when the job sets no command; the id is appended. */
  defaultCommand(flowRunId: string): string[];
  /** Starts the job; rejects when it cannot start (bad configuration, missing image, no cluster). */
  launch(request: JobRequest, output: OutputSink): Promise<LaunchedJob>;
  /** Lets go of what the launcher keeps ready (the process launcher's warm spare); jobs keep running. */
  close?(): void;
}

/** The label every launcher puts on its infrastructure, so a run's job can be found again. */
export const FLOW_RUN_ID_LABEL = "sluice.flow-run-id";
