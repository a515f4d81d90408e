import type { FlowRun, SetStateRequest, SetStateResult, State } from "@sluice/contracts";
import type { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { syncLeaseWithState } from "../concurrency/deployment-leases.js";
import { ConflictError, found } from "../http/errors.js";
import { decideFlowRunTransition } from "../orchestration/flow-run-policy.js";
import { flowRunStateEvent } from "../events/flow-run-events.js";
import { materializeState } from "../states/state-rows.js";
import * as store from "./flow-run-store.js";
import { bookkeepingFor } from "./state-bookkeeping.js";

/** How often a proposal is decided again after losing a race, before giving up with 409 conflict. */
const MAX_ATTEMPTS = 20;

/**
 * Proposes a state for a flow run; the orchestration rules decide. REJECT and ABORT throw 409 errors.
 * Optimistic: read, decide, then write only if the run's state is still the one decided on; a
 * proposal that loses a race (another state landed in between) is read and decided again.
 */
export async function setFlowRunState(
  { db, clock, events }: Pick<AppDeps, "db" | "clock" | "events">,
  id: string,
  request: z.output<typeof SetStateRequest>,
): Promise<SetStateResult> {
  for (let attempt = 1; ; attempt++) {
    const run = found(await store.findFlowRun(db.db, id), "flow_run_not_found", "flow run", id);
    if (request.state.id !== undefined && run.state?.id === request.state.id) {
      // A re-sent proposal that was accepted before (its answer got lost): answer the same again.
      return { status: "ACCEPT", state: run.state, reason: null, retryAfterSeconds: null };
    }
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
          // The slot goes first, so a worker woken by the state event finds it free.
          await syncLeaseWithState({ db, clock, events }, run, outcome.state);
          events.publish(flowRunStateEvent(run, outcome.state));
          return { status: "ACCEPT", state: outcome.state, reason: outcome.reason, retryAfterSeconds: null };
        }
        if (attempt >= MAX_ATTEMPTS) {
          throw new ConflictError("conflict", `flow run ${id} kept changing state; propose again`, { id });
        }
      }
    }
  }
}

/** WAIT answers with the run's current state, unchanged. */
function waitResult(
  run: FlowRun,
  proposed: State,
  reason: string,
  retryAfterSeconds: number,
): SetStateResult {
  return { status: "WAIT", state: run.state ?? proposed, reason, retryAfterSeconds };
}
