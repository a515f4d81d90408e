import type { SluiceClient } from "@sluice/client";
import type { FlowRun, ResultRef, State, StateName } from "@sluice/contracts";
import { randomUUID } from "node:crypto";
import type { Session } from "../api-connection/session.js";
import { executionStorage, type ExecutionScope, type FlowRunScope } from "../context/run-context.js";
import { CancelledError, InterruptedError, StateRejectedError } from "../errors.js";
import type { FlowHookInfo, FlowOptions } from "../flows/flow-options.js";
import { captureConsole } from "../logging/log-prints.js";
import { logForScope } from "../logging/run-logger.js";
import { persistResult, ResultSerializationError } from "../results/result-serializer.js";
import { sleep } from "../retries/retry-policy.js";
import { getSdkSettings } from "../settings/sdk-settings.js";
import { startHeartbeat } from "./heartbeat.js";
import { runHooks } from "./hooks.js";
import { Limiter } from "./limiter.js";
import { proposeFlowRunState } from "./flow-run-states.js";
import { registerActiveFlowRun } from "./process-signals.js";
import { makeState, StateClock } from "./recorder.js";
import { abortReason, failedState, raceSignal, runAttempt } from "./run-attempt.js";

/** What the engine needs of a flow. */
export interface FlowDefinition<R> {
  readonly flowName: string;
  readonly options: FlowOptions;
  readonly parameterSchema: Record<string, unknown> | null;
  readonly fn: (parameters: never) => R | Promise<R>;
}

/** How a flow run ended. */
export interface FlowRunOutcome<R> {
  flowRunId: string;
  /** The final state, as the server recorded it. */
  state: State;
  /** The flow function's return value (COMPLETED runs only). */
  result: R | undefined;
  /** The error that failed or cancelled the run. */
  error?: unknown;
}

/** Where a flow run comes from. */
export interface FlowRunPlacement {
  /** Execute this existing run (a worker's) instead of creating one. */
  flowRunId?: string | undefined;
  parentTaskRunId?: string | null | undefined;
  parentSignal?: AbortSignal | undefined;
  heartbeatSeconds?: number | undefined;
}

const never = new Promise<never>(() => undefined);

async function startFlowRun(
  clock: StateClock,
  client: SluiceClient,
  flow: FlowDefinition<unknown>,
  parameters: Record<string, unknown>,
  placement: FlowRunPlacement,
): Promise<FlowRun> {
  const { options } = flow;
  if (placement.flowRunId) {
    await proposeFlowRunState(client, placement.flowRunId, {
      type: "RUNNING",
      name: "Running",
      timestamp: clock.next(),
    });
    return client.readFlowRun(placement.flowRunId);
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

/** Records a terminal state for every task run still running (a cancelled or crashed flow run). */
function closeTaskRuns(scope: FlowRunScope, name: StateName, message: string): void {
  for (const [taskRunId, clock] of scope.activeTaskRuns) {
    scope.session.recorder.addState(taskRunId, makeState(name, { message }, clock));
  }
  scope.activeTaskRuns.clear();
}

/** Creates (or takes over) a flow run, runs the flow with retries, and records every state. */
export async function executeFlowRun<R>(
  flow: FlowDefinition<R>,
  parameters: Record<string, unknown>,
  session: Session,
  placement: FlowRunPlacement,
): Promise<FlowRunOutcome<R>> {
  const { options } = flow;
  const { client } = session;
  const clock = new StateClock();
  const run = await startFlowRun(clock, client, flow, parameters, placement);
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(placement.parentSignal?.reason);
  placement.parentSignal?.addEventListener("abort", onParentAbort, { once: true });
  const scope: FlowRunScope = {
    id: run.id,
    flowName: flow.flowName,
    runName: run.name,
    parameters,
    session,
    limiter: new Limiter(options.taskConcurrency ?? getSdkSettings().taskConcurrency),
    attempt: 1,
    signal: controller.signal,
    dynamicKeys: new Map(),
    activeTaskRuns: new Map(),
    clock,
    finished: false,
  };
  const exec: ExecutionScope = { flowRun: scope, taskRun: undefined, logPrints: options.logPrints ?? false };
  const info = (state: State, extra: { error?: unknown; result?: unknown } = {}): FlowHookInfo => ({
    state,
    flowRunId: run.id,
    flowName: flow.flowName,
    parameters,
    ...extra,
  });
  const finish = async (name: StateName, fields: Parameters<typeof makeState>[1], force = false) => {
    closeTaskRuns(scope, name === "Cancelled" ? "Cancelled" : "Crashed", `The flow run ended ${name}`);
    scope.finished = true;
    await session.recorder.flush();
    const state = makeState(name, fields, scope.clock);
    return proposeFlowRunState(client, run.id, state, force);
  };
  const unregister = registerActiveFlowRun({
    session,
    async interrupt(signal) {
      controller.abort(new InterruptedError(signal));
      const name = signal === "SIGINT" ? "Cancelled" : "Crashed";
      const state = await finish(name, { message: `The process received ${signal}` }, true);
      await runHooks(
        signal === "SIGINT" ? "onCancellation" : "onCrashed",
        signal === "SIGINT" ? options.onCancellation : options.onCrashed,
        info(state),
        exec,
      );
    },
  });
  const stopHeartbeat = startHeartbeat(
    client,
    run.id,
    placement.heartbeatSeconds ?? getSdkSettings().heartbeatSeconds,
    () => controller.abort(new CancelledError()),
  );
  const release = exec.logPrints ? captureConsole() : undefined;
  try {
    logForScope(exec, 20, `Beginning flow run '${run.name}' for flow '${flow.flowName}'`);
    for (;;) {
      if (options.onRunning)
        await runHooks(
          "onRunning",
          options.onRunning,
          info(makeState(scope.attempt === 1 ? "Running" : "Retrying")),
          exec,
        );
      let value: R;
      try {
        if (controller.signal.aborted) throw abortReason(controller.signal);
        // Raced against the run's signal: a cancelled run ends even if the function ignores its signal.
        const attempt = runAttempt("Flow", options.timeoutSeconds, controller.signal, (signal) => {
          scope.signal = signal;
          return executionStorage.run(exec, async () => flow.fn(parameters as never));
        });
        value = await raceSignal(attempt, controller.signal);
      } catch (error) {
        const reason: unknown = controller.signal.reason;
        // The signal handler records the run and exits the process; nothing more to do here.
        if (reason instanceof InterruptedError) return await never;
        if (reason instanceof CancelledError || error instanceof CancelledError) {
          const state = await finish("Cancelled", { message: "The flow run was cancelled" });
          logForScope(exec, 30, `Finished in state ${state.name}`);
          await runHooks("onCancellation", options.onCancellation, info(state, { error: reason }), exec);
          return { flowRunId: run.id, state, result: undefined, error: reason ?? error };
        }
        logForScope(
          exec,
          40,
          `Encountered an exception: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        await session.recorder.flush();
        const state = await proposeFlowRunState(client, run.id, failedState(error, scope.attempt, clock));
        if (state.type === "SCHEDULED") {
          const due = state.details.scheduledTime ? Date.parse(state.details.scheduledTime) - Date.now() : 0;
          logForScope(exec, 20, `Retrying in ${Math.max(0, due / 1000).toFixed(1)} s (${state.name})`);
          try {
            await sleep(due, controller.signal);
          } catch {
            continue; // cancelled or interrupted while waiting: the next attempt ends at once
          }
          await proposeFlowRunState(client, run.id, {
            type: "RUNNING",
            name: "Retrying",
            details: { runCount: scope.attempt + 1 },
          });
          scope.attempt++;
          continue;
        }
        closeTaskRuns(scope, "Crashed", "The flow run failed before this task run finished");
        scope.finished = true;
        logForScope(exec, 40, `Finished in state ${state.name}`);
        await runHooks("onFailure", options.onFailure, info(state, { error }), exec);
        return { flowRunId: run.id, state, result: undefined, error };
      }
      let result: ResultRef | null = null;
      if (options.persistResult ?? true) {
        const store = options.resultStore ?? session.resultStore;
        result = await persistResult(store, `results/${run.id}.json`, value).catch((error: unknown) => {
          // Persisting by default must not break a flow whose result is not JSON; asked for, it must.
          if (options.persistResult || !(error instanceof ResultSerializationError)) throw error;
          logForScope(exec, 30, `The result was not persisted: ${error.message}`);
          return null;
        });
      }
      const state = await finish("Completed", { result });
      logForScope(exec, 20, `Finished in state ${state.name}`);
      await runHooks("onCompletion", options.onCompletion, info(state, { result: value }), exec);
      return { flowRunId: run.id, state, result: value };
    }
  } catch (error) {
    // The engine itself failed (not the flow function): never leave the run RUNNING.
    if (!(error instanceof StateRejectedError)) {
      try {
        const state = await finish("Crashed", { message: `The engine failed: ${String(error)}` }, true);
        await runHooks("onCrashed", options.onCrashed, info(state, { error }), exec);
      } catch {
        // The API is unreachable: the server's zombie detection will mark the run CRASHED.
      }
    }
    throw error;
  } finally {
    release?.();
    stopHeartbeat();
    unregister();
    placement.parentSignal?.removeEventListener("abort", onParentAbort);
  }
}
