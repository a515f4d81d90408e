import type { SluiceClient } from "@sluice/client";
import type { FlowRun, ResultRef, State, StateName } from "@sluice/contracts";
import { randomUUID } from "node:crypto";
import type { Session } from "../api-connection/session.js";
import { executionStorage, type ExecutionScope, type FlowRunScope } from "../context/run-context.js";
import { CancelledError, InterruptedError, StateRejectedError } from "../errors.js";
import type { FlowHookInfo } from "../flows/flow-options.js";
import { captureConsole } from "../logging/log-prints.js";
import { logForScope } from "../logging/run-logger.js";
import { persistResult, ResultSerializationError } from "../results/result-serializer.js";
import { sleep } from "../retries/retry-policy.js";
import { getSdkSettings } from "../settings/sdk-settings.js";
import { resolveResultStorage } from "../storage/result-storage.js";
import { proposeFlowRunState } from "./flow-run-states.js";
import type { FlowDefinition, FlowRunOutcome, FlowRunPlacement } from "./flow-run-types.js";
import { startHeartbeat } from "./heartbeat.js";
import { runHooks } from "./hooks.js";
import { Limiter } from "./limiter.js";
import { registerActiveFlowRun } from "./process-signals.js";
import { makeState, StateClock, type StateFields } from "./recorder.js";
import { loadRetryPlan } from "./retry-plan.js";
import { abortReason, failedState, raceSignal, runAttempt } from "./run-attempt.js";

export type { FlowDefinition, FlowRunOutcome, FlowRunPlacement } from "./flow-run-types.js";

const never = new Promise<never>(() => undefined);

/** Creates the flow run directly in RUNNING (one request), or moves an existing one to RUNNING. */
async function startFlowRun(
  clock: StateClock,
  client: SluiceClient,
  flow: FlowDefinition<unknown>,
  parameters: Record<string, unknown>,
  placement: FlowRunPlacement,
): Promise<FlowRun> {
  const { options } = flow;
  if (placement.flowRunId) {
    await proposeFlowRunState(client, placement.flowRunId, { type: "RUNNING", timestamp: clock.next() });
    // A deployment's run was created without the flow's retry settings: record them before the
    // flow's code runs, so a failure is retried as the flow says (crashRetries stays). The answer
    // is the run as it now is, so no second read is needed.
    return client.call("updateFlowRun", {
      params: { id: placement.flowRunId },
      body: { policy: { retries: options.retries ?? 0, retryDelaySeconds: options.retryDelaySeconds ?? 0 } },
    });
  }
  return client.createFlowRun({
    id: randomUUID(),
    flowName: flow.flowName,
    parameters,
    parameterSchema: flow.parameterSchema,
    tags: options.tags ?? [],
    policy: { retries: options.retries ?? 0, retryDelaySeconds: options.retryDelaySeconds ?? 0 },
    parentTaskRunId: placement.parentTaskRunId ?? null,
    state: { id: randomUUID(), type: "RUNNING", name: "Running", timestamp: clock.next() },
  });
}

/** One flow run being executed: its attempts, retries, cancellation and final state. */
class FlowRunExecution<R> {
  readonly controller = new AbortController();
  readonly scope: FlowRunScope;
  readonly exec: ExecutionScope;

  constructor(
    private readonly flow: FlowDefinition<R>,
    private readonly parameters: Record<string, unknown>,
    private readonly session: Session,
    private readonly run: FlowRun,
    clock: StateClock,
  ) {
    this.scope = {
      id: run.id,
      flowName: flow.flowName,
      runName: run.name,
      parameters,
      session,
      resultStore: flow.options.resultStorage
        ? resolveResultStorage(flow.options.resultStorage, session.client)
        : session.resultStore,
      limiter: new Limiter(flow.options.taskConcurrency ?? getSdkSettings().taskConcurrency),
      // The server's run count: a deployment's run retried by hand starts a later attempt.
      attempt: Math.max(1, run.runCount),
      signal: this.controller.signal,
      dynamicKeys: new Map(),
      activeTaskRuns: new Map(),
      clock,
      finished: false,
      retryPlan: undefined,
    };
    this.exec = { flowRun: this.scope, taskRun: undefined, logPrints: flow.options.logPrints ?? false };
  }

  private info(state: State, extra: { error?: unknown; result?: unknown } = {}): FlowHookInfo {
    return {
      state,
      flowRunId: this.run.id,
      flowName: this.flow.flowName,
      parameters: this.parameters,
      ...extra,
    };
  }

  private log(level: number, message: string): void {
    logForScope(this.exec, level, message);
  }

  /** Closes unfinished task runs, flushes the recorder, then proposes the final state. */
  private async finish(name: StateName, fields: StateFields, force = false): Promise<State> {
    const taskState = name === "Cancelled" ? "Cancelled" : "Crashed";
    for (const [taskRunId, clock] of this.scope.activeTaskRuns) {
      this.session.recorder.addState(
        taskRunId,
        makeState(taskState, { message: `The flow run ended ${name}` }, clock),
      );
    }
    this.scope.activeTaskRuns.clear();
    this.scope.finished = true;
    await this.session.recorder.flush();
    const state = makeState(name, fields, this.scope.clock);
    return proposeFlowRunState(this.session.client, this.run.id, state, force);
  }

  /**
   * SIGINT/SIGTERM: abort, record CANCELLED or CRASHED (forced), and run the matching hook. SIGTERM
   * is how a worker stops a run being cancelled: then the run ends CANCELLED, not CRASHED.
   */
  async interrupt(signal: "SIGINT" | "SIGTERM"): Promise<void> {
    const cancelled = signal === "SIGINT" || (await this.isBeingCancelled());
    this.controller.abort(new InterruptedError(signal));
    const state = await this.finish(
      cancelled ? "Cancelled" : "Crashed",
      { message: `The process received ${signal}` },
      true,
    );
    const { onCancellation, onCrashed } = this.flow.options;
    await runHooks(
      cancelled ? "onCancellation" : "onCrashed",
      cancelled ? onCancellation : onCrashed,
      this.info(state),
      this.exec,
    );
  }

  /** True when cancellation was asked for: noticed by the heartbeat, or the run is CANCELLING now. */
  private async isBeingCancelled(): Promise<boolean> {
    if (this.controller.signal.reason instanceof CancelledError) return true;
    let timer: NodeJS.Timeout | undefined;
    // The process is going down: do not wait long for an answer (an unknown state means CRASHED).
    // Half a worker's default grace period (10 s): a busy server answering in 2 s to 5 s must not
    // turn a cancellation into a crash, and the final state still has time to be recorded.
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 5000)));
    const read = this.session.client.readFlowRun(this.run.id).catch(() => null);
    const run = await Promise.race([read, timeout]);
    clearTimeout(timer);
    return run?.stateType === "CANCELLING";
  }

  /** Runs attempts until the run completes, fails for good, or is cancelled. */
  async execute(): Promise<FlowRunOutcome<R>> {
    const { options } = this.flow;
    this.log(20, `Beginning flow run '${this.run.name}' for flow '${this.flow.flowName}'`);
    const plan = this.scope.retryPlan;
    if (plan) {
      const reuse = plan.mode === "from-failed" ? "; completed tasks with persisted results are reused" : "";
      this.log(20, `Attempt ${this.scope.attempt} retries the run (${plan.mode})${reuse}`);
    }
    for (;;) {
      if (options.onRunning) {
        const running = makeState(this.scope.attempt === 1 ? "Running" : "Retrying");
        await runHooks("onRunning", options.onRunning, this.info(running), this.exec);
      }
      let value: R;
      try {
        value = await this.attempt();
      } catch (error) {
        const outcome = await this.afterError(error);
        if (outcome === "retry") continue;
        return outcome;
      }
      return this.complete(value);
    }
  }

  /** One attempt, raced against the run's signal so a cancelled run ends even if the function ignores it. */
  private attempt(): Promise<R> {
    const { signal } = this.controller;
    if (signal.aborted) return Promise.reject(abortReason(signal));
    const attempt = runAttempt("Flow", this.flow.options.timeoutSeconds, signal, (attemptSignal) => {
      this.scope.signal = attemptSignal;
      return executionStorage.run(this.exec, async () => this.flow.fn(this.parameters as never));
    });
    return raceSignal(attempt, signal);
  }

  private async complete(value: R): Promise<FlowRunOutcome<R>> {
    const { options } = this.flow;
    let result: ResultRef | null = null;
    if (options.persistResult ?? true) {
      result = await persistResult(this.scope.resultStore, `results/${this.run.id}.json`, value).catch(
        (error: unknown) => {
          // Persisting by default must not break a flow whose result is not JSON; asked for, it must.
          if (options.persistResult || !(error instanceof ResultSerializationError)) throw error;
          this.log(30, `The result was not persisted: ${error.message}`);
          return null;
        },
      );
    }
    const state = await this.finish("Completed", { result });
    this.log(20, `Finished in state ${state.name}`);
    await runHooks("onCompletion", options.onCompletion, this.info(state, { result: value }), this.exec);
    return { flowRunId: this.run.id, state, result: value };
  }

  /** After a failed attempt: cancelled, retried (the server answered AwaitingRetry), or failed for good. */
  private async afterError(error: unknown): Promise<FlowRunOutcome<R> | "retry"> {
    const { options } = this.flow;
    const reason: unknown = this.controller.signal.reason;
    // The signal handler records the run and exits the process; nothing more to do here.
    if (reason instanceof InterruptedError) return never;
    if (reason instanceof CancelledError || error instanceof CancelledError) {
      const state = await this.finish("Cancelled", { message: "The flow run was cancelled" });
      this.log(30, `Finished in state ${state.name}`);
      await runHooks(
        "onCancellation",
        options.onCancellation,
        this.info(state, { error: reason }),
        this.exec,
      );
      return { flowRunId: this.run.id, state, result: undefined, error: reason ?? error };
    }
    this.log(
      40,
      `Encountered an exception: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    await this.session.recorder.flush();
    const { client } = this.session;
    const state = await proposeFlowRunState(
      client,
      this.run.id,
      failedState(error, this.scope.attempt, this.scope.clock),
    );
    if (state.type === "SCHEDULED") {
      await this.waitForRetry(state);
      return "retry";
    }
    return this.failed(state, error);
  }

  private async waitForRetry(awaiting: State): Promise<void> {
    const due = awaiting.details.scheduledTime ? Date.parse(awaiting.details.scheduledTime) - Date.now() : 0;
    this.log(20, `Retrying in ${Math.max(0, due / 1000).toFixed(1)} s (${awaiting.name})`);
    try {
      await sleep(due, this.controller.signal);
    } catch {
      return; // cancelled or interrupted while waiting: the next attempt ends at once
    }
    const retrying = {
      type: "RUNNING" as const,
      name: "Retrying",
      details: { runCount: this.scope.attempt + 1 },
    };
    await proposeFlowRunState(this.session.client, this.run.id, {
      ...retrying,
      timestamp: this.scope.clock.next(),
    });
    this.scope.attempt++;
  }

  private async failed(state: State, error: unknown): Promise<FlowRunOutcome<R>> {
    for (const [taskRunId, clock] of this.scope.activeTaskRuns) {
      const message = "The flow run failed before this task run finished";
      this.session.recorder.addState(taskRunId, makeState("Crashed", { message }, clock));
    }
    this.scope.activeTaskRuns.clear();
    this.scope.finished = true;
    this.log(40, `Finished in state ${state.name}`);
    await runHooks("onFailure", this.flow.options.onFailure, this.info(state, { error }), this.exec);
    return { flowRunId: this.run.id, state, result: undefined, error };
  }

  /** The engine itself failed (not the flow function): never leave the run RUNNING. */
  async crash(error: unknown): Promise<void> {
    if (error instanceof StateRejectedError) return;
    try {
      const state = await this.finish("Crashed", { message: `The engine failed: ${String(error)}` }, true);
      await runHooks("onCrashed", this.flow.options.onCrashed, this.info(state, { error }), this.exec);
    } catch {
      // The API is unreachable: the server's zombie detection will mark the run CRASHED.
    }
  }
}

/** Creates (or takes over) a flow run, runs the flow with retries, and records every state. */
export async function executeFlowRun<R>(
  flow: FlowDefinition<R>,
  parameters: Record<string, unknown>,
  session: Session,
  placement: FlowRunPlacement,
): Promise<FlowRunOutcome<R>> {
  const clock = new StateClock();
  const run = await startFlowRun(clock, session.client, flow, parameters, placement);
  const execution = new FlowRunExecution(flow, parameters, session, run, clock);
  const { controller } = execution;
  const onParentAbort = () => controller.abort(placement.parentSignal?.reason);
  placement.parentSignal?.addEventListener("abort", onParentAbort, { once: true });
  const unregister = registerActiveFlowRun({ session, interrupt: (signal) => execution.interrupt(signal) });
  const heartbeatSeconds = placement.heartbeatSeconds ?? getSdkSettings().heartbeatSeconds;
  const stopHeartbeat = startHeartbeat(session.client, run.id, heartbeatSeconds, () =>
    controller.abort(new CancelledError()),
  );
  const release = execution.exec.logPrints ? captureConsole() : undefined;
  try {
    // Only an existing run (a deployment's, started by a worker) can have been retried by hand.
    if (placement.flowRunId) execution.scope.retryPlan = await loadRetryPlan(session.client, run);
    return await execution.execute();
  } catch (error) {
    await execution.crash(error);
    throw error;
  } finally {
    release?.();
    stopHeartbeat();
    unregister();
    placement.parentSignal?.removeEventListener("abort", onParentAbort);
  }
}
