import type { FlowRun, FlowRunRetry } from "@sluice/contracts";
import type { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { ConflictError, found } from "../http/errors.js";
import * as store from "./flow-run-store.js";
import { setFlowRunState } from "./set-flow-run-state.js";

/**
 * Retries a finished run by hand: proposes SCHEDULED (AwaitingRetry, due now) carrying the retry
 * mode through the orchestration rules, which refuse it unless the run is FAILED, CRASHED or
 * CANCELLED (or COMPLETED, for "all"). The bookkeeping of that transition clears the last attempt's
 * worker, infrastructure and result and restarts the automatic retry count; the state event wakes
 * the pool's workers. The engine reads `retryMode` from this state when the run starts again.
 * Only a deployment's run can be retried: nothing else would pick a SCHEDULED run up.
 */
export async function retryFlowRun(
  deps: Pick<AppDeps, "db" | "clock" | "events">,
  id: string,
  request: z.output<typeof FlowRunRetry>,
): Promise<FlowRun> {
  const run = found(await store.findFlowRun(deps.db.db, id), "flow_run_not_found", "flow run", id);
  if (run.deploymentId === null || run.workPoolName === null) {
    throw new ConflictError(
      "flow_run_not_retryable",
      `flow run ${id} was not made by a deployment, so no worker would pick it up again; run its flow again instead`,
      { id, currentState: run.state },
    );
  }
  const now = deps.clock.now().toISOString();
  await setFlowRunState(deps, id, {
    state: {
      type: "SCHEDULED",
      name: "AwaitingRetry",
      message: request.message ?? "Retried through the API",
      details: { scheduledTime: now, retryMode: request.mode },
    },
    force: false,
  });
  return found(await store.findFlowRun(deps.db.db, id), "flow_run_not_found", "flow run", id);
}
