import type { StateCreate } from "@sluice/contracts";
import { setFlowRunState } from "../flow-runs/set-flow-run-state.js";
import { ConflictError } from "../http/errors.js";
import type { ServiceDeps } from "./service-runner.js";

/**
 * Proposes a state for a run on behalf of a service, through the orchestration rules (so a crash
 * may become a retry, and leases and events follow). Answers the state type that was stored, or
 * undefined when the run moved on meanwhile (it finished, or a worker acted first): that run is no
 * longer the service's business, so the refusal is expected and only counted.
 */
export async function proposeState(
  deps: ServiceDeps,
  flowRunId: string,
  state: StateCreate,
): Promise<string | undefined> {
  try {
    const result = await setFlowRunState(deps, flowRunId, { state, force: false });
    return result.status === "ACCEPT" ? result.state.type : undefined;
  } catch (error) {
    if (error instanceof ConflictError) return undefined;
    throw error;
  }
}
