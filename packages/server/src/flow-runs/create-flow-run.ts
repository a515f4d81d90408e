import {
  FlowName,
  MAX_PARAMETERS_BYTES,
  type FlowRun,
  type FlowRunCreate,
  type State,
} from "@sluice/contracts";
import type { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import type { FlowService } from "../flows/flow-service.js";
import { ConflictError, PayloadTooLargeError, ValidationError } from "../http/errors.js";
import { newId } from "../ids.js";
import { flowRunStateEvent } from "../events/flow-run-events.js";
import { materializeState } from "../states/state-rows.js";
import { toCreatedFlowRun } from "./flow-run-rows.js";
import * as store from "./flow-run-store.js";
import { generateRunName } from "./run-names.js";
import { bookkeepingFor } from "./state-bookkeeping.js";

type ParsedCreate = z.output<typeof FlowRunCreate>;

/**
 * What a deployment's run carries beyond the public FlowRunCreate: where it came from and where
 * workers find it. Internal: only the deployment routes and the scheduler set these.
 */
export interface DeploymentRunFields {
  readonly deploymentId: string;
  readonly scheduleId?: string | null;
  readonly autoScheduled?: boolean;
  readonly workQueueId: string | null;
  readonly workPoolName: string | null;
  readonly workQueueName: string | null;
  readonly jobVariables: Record<string, unknown>;
}

const INITIAL_STATE_TYPES = new Set(["SCHEDULED", "PENDING", "RUNNING"]);

/**
 * Creates a flow run; a known id or (flow, idempotency key) returns the existing run. The common
 * case is one statement: the flow comes from memory and the run and its first state go in together.
 */
export async function createFlowRun(
  deps: Pick<AppDeps, "db" | "clock" | "events">,
  flows: FlowService,
  input: ParsedCreate,
  deployment?: DeploymentRunFields,
): Promise<FlowRun> {
  const { db, clock } = deps;
  checkParametersSize(input.parameters);
  checkFlowName(input.flowName);
  const flow = input.flowId
    ? await flows.resolveById(input.flowId)
    : await flows.resolveByName(input.flowName ?? "");
  const now = clock.now();
  const state = initialState(input, now);
  const run = { ...newRunRow(input, flow.id, state, now), ...(deployment && deploymentColumns(deployment)) };
  let row;
  try {
    row = await store.insertFlowRunWithState(db.db, run, state);
  } catch (error) {
    if ((error as { code?: unknown }).code !== "23503") throw error;
    // The remembered flow was deleted (a database reset): forget it and register it again.
    flows.forget(flow);
    return createFlowRun(deps, flows, input, deployment);
  }
  if (row) {
    const created = toCreatedFlowRun(row, flow.name, state);
    deps.events.publish(flowRunStateEvent(created, state));
    return created;
  }
  // The id or the idempotency key exists already: answer with that run.
  const existing =
    (input.id ? await store.findFlowRun(db.db, input.id) : undefined) ??
    (input.idempotencyKey
      ? await store.findFlowRunByIdempotencyKey(db.db, flow.id, input.idempotencyKey)
      : undefined);
  if (!existing) {
    throw new ConflictError("conflict", `flow run ${run.id} conflicts with an existing run`, { id: run.id });
  }
  return existing;
}

function checkParametersSize(parameters: Record<string, unknown>): void {
  const bytes = Buffer.byteLength(JSON.stringify(parameters), "utf8");
  if (bytes > MAX_PARAMETERS_BYTES) {
    throw new PayloadTooLargeError(
      "payload_too_large",
      `body.parameters is ${bytes} bytes serialised; the limit is ${MAX_PARAMETERS_BYTES}`,
      { field: "body.parameters", bytes, limit: MAX_PARAMETERS_BYTES },
    );
  }
}

/** A flow registered on the fly obeys the same name rules as POST /api/flows. */
function checkFlowName(name: string | undefined): void {
  if (name === undefined) return;
  const parsed = FlowName.safeParse(name);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? "invalid flow name";
    throw new ValidationError("validation_failed", `invalid request: body.flowName: ${message}`, [
      { path: "body.flowName", message },
    ]);
  }
}

function initialState(input: ParsedCreate, now: Date): State {
  const proposed = input.state ?? { type: "SCHEDULED" as const };
  if (!INITIAL_STATE_TYPES.has(proposed.type)) {
    throw new ValidationError("validation_failed", `a flow run cannot start ${proposed.type}`, [
      { path: "body.state.type", message: "a new flow run starts SCHEDULED, PENDING or RUNNING" },
    ]);
  }
  const state = materializeState(proposed, now);
  if (state.type !== "SCHEDULED" || state.details.scheduledTime) return state;
  return { ...state, details: { ...state.details, scheduledTime: state.timestamp } };
}

function newRunRow(input: ParsedCreate, flowId: string, state: State, now: Date): store.InsertableFlowRun {
  const policy = input.policy ?? { retries: 0, retryDelaySeconds: 0, crashRetries: 0, retryBaseRunCount: 0 };
  const fresh = { state: null, runCount: 0, startTime: null, totalRunTimeMs: 0, policy };
  return {
    id: input.id ?? newId(now.getTime()),
    flow_id: flowId,
    name: input.name ?? generateRunName(),
    parent_task_run_id: input.parentTaskRunId ?? null,
    parameters: JSON.stringify(input.parameters),
    parameter_schema: input.parameterSchema ? JSON.stringify(input.parameterSchema) : null,
    tags: JSON.stringify(input.tags),
    policy: JSON.stringify(policy),
    expected_start_time: state.details.scheduledTime ?? state.timestamp,
    idempotency_key: input.idempotencyKey ?? null,
    created_at: now,
    updated_at: now,
    ...bookkeepingFor(fresh, state, now),
  };
}

function deploymentColumns(fields: DeploymentRunFields) {
  return {
    deployment_id: fields.deploymentId,
    schedule_id: fields.scheduleId ?? null,
    auto_scheduled: fields.autoScheduled ?? false,
    work_queue_id: fields.workQueueId,
    work_pool_name: fields.workPoolName,
    work_queue_name: fields.workQueueName,
    job_variables: JSON.stringify(fields.jobVariables),
  } satisfies Partial<store.InsertableFlowRun>;
}
