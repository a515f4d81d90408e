import { randomUUID } from "node:crypto";
import { acquireSession, getHeartbeatSeconds, printEphemeralHint } from "../api-connection/connection.js";
import { currentScope, type ExecutionScope } from "../context/run-context.js";
import { validateParameters } from "../flows/parameters.js";
import type { z } from "zod";
import { makeState, StateClock } from "./recorder.js";
import { executeFlowRun, type FlowDefinition, type FlowRunOutcome } from "./flow-run-execution.js";
import { failedState } from "./run-attempt.js";
import { resultOwners } from "../tasks/task-inputs.js";

/** Options of `runFlow`. */
export interface RunFlowOptions {
  /** Execute this existing flow run (created by a deployment) instead of creating one. */
  flowRunId?: string;
}

/**
 * Runs a flow: validates parameters (throwing ParameterValidationError before any run exists), then
 * executes it as a top-level flow run, or as a subflow when called inside another flow run.
 */
export async function executeFlow<R>(
  flow: FlowDefinition<R> & { readonly schema: z.ZodType | undefined },
  rawParameters: unknown,
  options: RunFlowOptions = {},
): Promise<FlowRunOutcome<R>> {
  const parameters = validateParameters(flow.flowName, flow.schema, rawParameters);
  const parent = currentScope();
  if (parent) return executeSubflow(flow, parameters, parent);
  const { session, release } = await acquireSession();
  let outcome: FlowRunOutcome<R> | undefined;
  try {
    outcome = await executeFlowRun(flow, parameters, session, {
      flowRunId: options.flowRunId,
      heartbeatSeconds: getHeartbeatSeconds(),
    });
    // Task runs were flushed before the final state; logs follow in the background (and at exit).
    return outcome;
  } finally {
    await release();
    if (session.ephemeral && outcome) printEphemeralHint(outcome.flowRunId);
  }
}

/** A flow called inside a flow run: a task run in the parent stands for the call, linked to the child run. */
async function executeSubflow<R>(
  flow: FlowDefinition<R>,
  parameters: Record<string, unknown>,
  parent: ExecutionScope,
): Promise<FlowRunOutcome<R>> {
  const parentRun = parent.flowRun;
  const { recorder } = parentRun.session;
  const taskRunId = randomUUID();
  const n = parentRun.dynamicKeys.get(flow.flowName) ?? 0;
  parentRun.dynamicKeys.set(flow.flowName, n + 1);
  recorder.addTaskRun({
    id: taskRunId,
    flowRunId: parentRun.id,
    taskKey: `flow/${flow.flowName}`,
    name: `${flow.flowName}-${n}`,
    dynamicKey: String(n),
    tags: flow.options.tags ?? [],
    taskInputs: {},
  });
  const clock = new StateClock();
  recorder.addState(taskRunId, makeState("Pending", {}, clock));
  recorder.addState(taskRunId, makeState("Running", {}, clock));
  parentRun.activeTaskRuns.set(taskRunId, clock);
  // The child run names this task run as its parent, so the server must know it first.
  await recorder.flush();
  try {
    const outcome = await executeFlowRun(flow, parameters, parentRun.session, {
      parentTaskRunId: taskRunId,
      parentSignal: parent.taskRun?.signal ?? parentRun.signal,
      heartbeatSeconds: getHeartbeatSeconds(),
    });
    if (!parentRun.finished) {
      const { state } = outcome;
      if (state.type === "COMPLETED") {
        recorder.addState(taskRunId, makeState("Completed", { result: state.result }, clock));
        const value = outcome.result;
        if (value !== null && typeof value === "object") resultOwners.set(value, taskRunId);
      } else if (state.type === "CANCELLED") {
        recorder.addState(taskRunId, makeState("Cancelled", { message: state.message }, clock));
      } else {
        recorder.addState(taskRunId, failedState(outcome.error, 1, clock));
      }
    }
    return outcome;
  } catch (error) {
    if (!parentRun.finished)
      recorder.addState(taskRunId, makeState("Crashed", { message: String(error) }, clock));
    throw error;
  } finally {
    parentRun.activeTaskRuns.delete(taskRunId);
  }
}
