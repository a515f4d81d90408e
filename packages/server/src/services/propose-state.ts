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

const FIRST_ID = "00000000-0000-0000-0000-000000000000";

/**
 * Walks every run `page` yields, in id order, a batch at a time: `page(afterId)` answers up to
 * `batch` runs with ids after `afterId`. Each run is visited once per pass, even when some stay
 * as they were (a refused proposal).
 */
export async function eachRun<T extends { id: string }>(
  page: (afterId: string) => Promise<T[]>,
  batch: number,
  handle: (row: T) => Promise<void>,
): Promise<void> {
  for (let afterId = FIRST_ID; ;) {
    const rows = await page(afterId);
    for (const row of rows) await handle(row);
    const last = rows[rows.length - 1];
    if (rows.length < batch || !last) return;
    afterId = last.id;
  }
}
