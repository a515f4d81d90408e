import type { SluiceClient } from "@sluice/client";
import { isTerminalStateType, type ClaimedFlowRun, type StateCreate, type WorkPool } from "@sluice/contracts";
import { InvalidJobConfigurationError } from "./job-configuration.js";
import { prepareJob } from "./job-request.js";
import type { JobExit, LaunchedJob, Launcher, OutputStream } from "./infrastructure/launcher.js";
import { RunOutputLogs } from "./run-output-logs.js";
import type { WorkerLogger } from "./worker-logger.js";

/** What a flow-run job needs from its worker. */
export interface FlowRunJobDeps {
  client: SluiceClient;
  launcher: Launcher;
  /** The API URL the job's flow run reports to. */
  apiUrl: string;
  /** The key the job's flow run sends (the worker's own; default none). Never logged. */
  apiKey?: string | undefined;
  logger: WorkerLogger;
  /** Milliseconds between SIGTERM and SIGKILL when a run is cancelled. */
  cancelGraceMs: number;
}

/** Lines of stderr kept for a crash's reason. */
const STDERR_TAIL_LINES = 10;

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One claimed flow run, from its job's launch to its final state. */
export class FlowRunJob {
  readonly id: string;
  readonly name: string;
  /** Resolves when the job has ended and the run's final state has been seen to. */
  readonly done: Promise<void>;
  private launched: LaunchedJob | undefined;
  private cancelRequested = false;
  private killTimer: NodeJS.Timeout | undefined;
  private readonly stderrTail: string[] = [];

  constructor(
    private readonly claimed: ClaimedFlowRun,
    private readonly pool: WorkPool,
    private readonly deps: FlowRunJobDeps,
  ) {
    this.id = claimed.flowRun.id;
    this.name = claimed.flowRun.name;
    this.done = this.run().catch((error: unknown) =>
      deps.logger.error(`flow run ${this.label}: ${describeError(error)}`),
    );
  }

  private get label(): string {
    return `'${this.name}' (${this.id})`;
  }

  /** Stops the run: SIGTERM, then SIGKILL after the grace period; a run not started yet never starts. */
  cancel(): void {
    if (this.cancelRequested) return;
    this.cancelRequested = true;
    this.deps.logger.info(`cancelling flow run ${this.label}`);
    if (this.launched) this.stopLaunched(this.launched);
  }

  /** Passes a signal on to the run's job (the worker's second Ctrl-C). */
  forward(signal: NodeJS.Signals): void {
    void this.launched?.signal(signal).catch((error: unknown) => this.warnSignal(signal, error));
  }

  private stopLaunched(launched: LaunchedJob): void {
    void launched.signal("SIGTERM").catch((error: unknown) => this.warnSignal("SIGTERM", error));
    this.killTimer = setTimeout(() => {
      this.deps.logger.warn(`flow run ${this.label} still running after the grace period: SIGKILL`);
      void launched.signal("SIGKILL").catch((error: unknown) => this.warnSignal("SIGKILL", error));
    }, this.deps.cancelGraceMs);
  }

  private warnSignal(signal: string, error: unknown): void {
    this.deps.logger.warn(`could not send ${signal} to flow run ${this.label}: ${describeError(error)}`);
  }

  private async run(): Promise<void> {
    const { client, launcher, logger } = this.deps;
    let prepared: ReturnType<typeof prepareJob>;
    try {
      prepared = prepareJob(this.claimed, this.pool, launcher, this.deps.apiUrl, this.deps.apiKey);
    } catch (error) {
      const failed = error instanceof InvalidJobConfigurationError;
      return this.propose({ type: failed ? "FAILED" : "CRASHED", message: describeError(error) });
    }
    if (this.cancelRequested) {
      return this.propose({ type: "CANCELLED", message: "Cancelled before its job started" });
    }
    const logs = prepared.streamOutput
      ? new RunOutputLogs(client, this.id, {
          onError: (error) => logger.warn(`output of ${this.label} not recorded: ${describeError(error)}`),
        })
      : undefined;
    const onOutput = (stream: OutputStream, line: string) => {
      logger.output(stream, `[${this.name}] ${line}`);
      if (stream === "stderr") {
        this.stderrTail.push(line);
        if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
      }
      logs?.add(stream, line);
    };
    let launched: LaunchedJob;
    try {
      launched = await launcher.launch(prepared.request, onOutput);
    } catch (error) {
      const message = `The ${launcher.type} infrastructure could not start the flow run: ${describeError(error)}`;
      return this.propose({ type: "CRASHED", message });
    }
    this.launched = launched;
    const where = `${launcher.type} ${launched.infrastructureId}`;
    const { start } = launched;
    logger.info(
      start === undefined
        ? `flow run ${this.label} started (${where})`
        : start.warm
          ? `flow run ${this.label} started warm (${where})`
          : `flow run ${this.label} started cold (${where}): ${start.reason}`,
    );
    if (this.cancelRequested) this.stopLaunched(launched);
    void client
      .call("updateFlowRun", {
        params: { id: this.id },
        body: { infrastructureId: launched.infrastructureId },
      })
      .catch((error: unknown) =>
        logger.warn(`could not record the infrastructure id of ${this.label}: ${describeError(error)}`),
      );
    const exit = await launched.exited;
    clearTimeout(this.killTimer);
    await logs?.flush();
    await this.afterExit(exit);
  }

  /** Decides the run's state once its job has ended: nothing when the run recorded a final state. */
  private async afterExit(exit: JobExit): Promise<void> {
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
    const run = await this.deps.client.readFlowRun(this.id);
    const type = run.stateType;
    if (type !== null && (isTerminalStateType(type) || type === "SCHEDULED" || type === "PAUSED")) {
      this.deps.logger.info(`flow run ${this.label} ${how}: ${run.stateName ?? type}`);
      return;
    }
    if (this.cancelRequested || type === "CANCELLING") {
      return this.propose({ type: "CANCELLED", message: `Cancelled; its job ${how}` });
    }
    const tail = this.stderrTail.length ? `\nLast lines of stderr:\n${this.stderrTail.join("\n")}` : "";
    const reason =
      exit.exitCode === 0 && !exit.signal
        ? "The flow-run process exited with code 0 without recording a final state"
        : `The flow-run process ${how}`;
    await this.propose({ type: "CRASHED", message: `${reason}${tail}`.slice(0, 10_000) });
  }

  private async propose(state: StateCreate): Promise<void> {
    const { client, logger } = this.deps;
    try {
      const result = await client.setFlowRunState(this.id, { state });
      logger.info(`flow run ${this.label} is ${result.state.name}: ${state.message ?? ""}`);
    } catch (error) {
      // 409: the run has moved on (another actor ended it); that is its final word.
      const status = (error as { status?: number }).status;
      if (status === 409) logger.info(`flow run ${this.label}: ${describeError(error)}`);
      else logger.error(`could not mark flow run ${this.label} ${state.type}: ${describeError(error)}`);
    }
  }
}
