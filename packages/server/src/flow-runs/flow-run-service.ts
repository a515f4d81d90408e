import type { FlowRunCreate } from "@sluice/contracts";
import {
  MAX_PARAMETERS_BYTES,
  type FlowRun,
  type FlowRunFilter,
  type FlowRunGraph,
  type FlowRunPage,
  type SetStateRequest,
  type SetStateResult,
  type State,
} from "@sluice/contracts";
import type { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import type { FlowService } from "../flows/flow-service.js";
import {
  ConflictError,
  found,
  NotFoundError,
  PayloadTooLargeError,
  ValidationError,
} from "../http/errors.js";
import { newId } from "../ids.js";
import { decideFlowRunTransition } from "../orchestration/flow-run-policy.js";
import { materializeState } from "../states/state-rows.js";
import { buildFlowRunGraph } from "./flow-run-graph.js";
import { toCreatedFlowRun } from "./flow-run-rows.js";
import * as store from "./flow-run-store.js";
import { generateRunName } from "./run-names.js";
import { bookkeepingFor } from "./state-bookkeeping.js";

type ParsedCreate = z.output<typeof FlowRunCreate>;
type ParsedSetState = z.output<typeof SetStateRequest>;
type ParsedFilter = z.output<typeof FlowRunFilter>;

/** How often setState re-decides after losing a race before giving up with 409 conflict. */
const MAX_STATE_ATTEMPTS = 20;

const INITIAL_STATE_TYPES = new Set(["SCHEDULED", "PENDING", "RUNNING"]);

/** Flow-run use cases: create (idempotent), orchestrate state changes, read, list, delete. */
export function createFlowRunService({ db, clock }: Pick<AppDeps, "db" | "clock">, flows: FlowService) {
  const readOrThrow = async (id: string): Promise<FlowRun> =>
    found(await store.findFlowRun(db.db, id), "flow_run_not_found", "flow run", id);

  return {
    /**
     * Creates a flow run; a known id or (flow, idempotency key) returns the existing run. The common
     * case is one statement: the flow comes from memory and the run and its state go in together.
     */
    async create(input: ParsedCreate): Promise<FlowRun> {
      checkParametersSize(input.parameters);
      const flow = input.flowId
        ? await flows.resolveById(input.flowId)
        : await flows.resolveByName(input.flowName ?? "");
      const now = clock.now();
      const state = initialState(input, now);
      const run = newRunRow(input, flow.id, state, now);
      let row;
      try {
        row = await store.insertFlowRunWithState(db.db, run, state);
      } catch (error) {
        if ((error as { code?: unknown }).code !== "23503") throw error;
        // The remembered flow was deleted (a database reset): forget it and register it again.
        flows.forget(flow);
        return this.create(input);
      }
      if (row) return toCreatedFlowRun(row, flow.name, state);
      // The id or the idempotency key exists already: answer with that run.
      const existing =
        (input.id ? await store.findFlowRun(db.db, input.id) : undefined) ??
        (input.idempotencyKey
          ? await store.findFlowRunByIdempotencyKey(db.db, flow.id, input.idempotencyKey)
          : undefined);
      if (!existing) {
        throw new ConflictError("conflict", `flow run ${run.id} conflicts with an existing run`, {
          id: run.id,
        });
      }
      return existing;
    },

    /** Proposes a state; the orchestration rules decide. REJECT and ABORT throw 409 errors. */
    async setState(id: string, request: ParsedSetState): Promise<SetStateResult> {
      // Optimistic: read, decide, then write only if the run's state is still the one decided on.
      // Losing a race (another state landed in between) re-reads and decides again.
      for (let attempt = 1; ; attempt++) {
        const run = await readOrThrow(id);
        const now = clock.now();
        const proposed = materializeState(request.state, now);
        const context = {
          current: run.state,
          proposed,
          run: { runCount: run.runCount, policy: run.policy },
          now,
        };
        const outcome = decideFlowRunTransition(context, request.force);
        const currentState = run.state;
        switch (outcome.kind) {
          case "reject":
            throw new ConflictError("invalid_state_transition", outcome.reason, { currentState });
          case "abort":
            throw new ConflictError("state_transition_aborted", outcome.reason, { currentState });
          case "wait":
            return waitResult(run, proposed, outcome.reason, outcome.retryAfterSeconds);
          case "accept": {
            const updates = bookkeepingFor(run, outcome.state, now);
            if (await store.recordFlowRunState(db.db, id, currentState?.id ?? null, outcome.state, updates)) {
              return {
                status: "ACCEPT",
                state: outcome.state,
                reason: outcome.reason,
                retryAfterSeconds: null,
              };
            }
            if (attempt >= MAX_STATE_ATTEMPTS) {
              throw new ConflictError("conflict", `flow run ${id} kept changing state; propose again`, {
                id,
              });
            }
          }
        }
      }
    },

    read: (id: string) => readOrThrow(id),

    async readStates(id: string): Promise<State[]> {
      await readOrThrow(id);
      return store.listFlowRunStates(db.db, id);
    },

    async readGraph(id: string): Promise<FlowRunGraph> {
      await readOrThrow(id);
      return buildFlowRunGraph(db.db, id);
    },

    async heartbeat(id: string): Promise<FlowRun> {
      const touched = await store.touchHeartbeat(db.db, id, clock.now());
      if (!touched) throw new NotFoundError("flow_run_not_found", `flow run ${id} not found`, { id });
      return readOrThrow(id);
    },

    async delete(id: string): Promise<Record<string, never>> {
      if (!(await store.deleteFlowRun(db.db, id))) {
        throw new NotFoundError("flow_run_not_found", `flow run ${id} not found`, { id });
      }
      return {};
    },

    list: (filter: ParsedFilter): Promise<FlowRunPage> => store.listFlowRuns(db.db, filter),
    count: async (filter: ParsedFilter) => ({ count: await store.countFlowRuns(db.db, filter) }),
  };
}

/** The flow-run use cases. */
export type FlowRunService = ReturnType<typeof createFlowRunService>;

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

function newRunRow(input: ParsedCreate, flowId: string, state: State, now: Date): store.InsertableFlowRun {
  const fresh = { state: null, runCount: 0, startTime: null, totalRunTimeMs: 0 };
  return {
    id: input.id ?? newId(now.getTime()),
    flow_id: flowId,
    name: input.name ?? generateRunName(),
    parent_task_run_id: input.parentTaskRunId ?? null,
    parameters: JSON.stringify(input.parameters),
    parameter_schema: input.parameterSchema ? JSON.stringify(input.parameterSchema) : null,
    tags: JSON.stringify(input.tags),
    policy: JSON.stringify(input.policy ?? { retries: 0, retryDelaySeconds: 0 }),
    expected_start_time: state.details.scheduledTime ?? state.timestamp,
    idempotency_key: input.idempotencyKey ?? null,
    created_at: now,
    ...bookkeepingFor(fresh, state, now),
  } as store.InsertableFlowRun;
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

function waitResult(
  run: FlowRun,
  proposed: State,
  reason: string,
  retryAfterSeconds: number,
): SetStateResult {
  return { status: "WAIT", state: run.state ?? proposed, reason, retryAfterSeconds };
}
