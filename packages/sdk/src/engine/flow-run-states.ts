import { SluiceApiError, type SluiceClient } from "@sluice/client";
import type { State, StateCreate } from "@sluice/contracts";
import { randomUUID } from "node:crypto";
import { StateRejectedError } from "../errors.js";
import { sleep } from "../retries/retry-policy.js";

/**
 * Proposes a flow-run state and returns the state the server settled on (it may differ, for example
 * AwaitingRetry instead of Failed). WAIT answers are honoured; 409 rejections become StateRejectedError.
 */
export async function proposeFlowRunState(
  client: SluiceClient,
  flowRunId: string,
  state: Omit<StateCreate, "id" | "timestamp"> & { id?: string; timestamp?: string },
  force = false,
): Promise<State> {
  let proposal: StateCreate = {
    ...state,
    id: state.id ?? randomUUID(),
    timestamp: state.timestamp ?? new Date().toISOString(),
  };
  for (;;) {
    try {
      const answer = await client.setFlowRunState(flowRunId, { state: proposal, force });
      if (answer.status === "ACCEPT") return answer.state;
      await sleep(Math.max(0.05, answer.retryAfterSeconds ?? 1) * 1000);
      proposal = { ...proposal, id: randomUUID(), timestamp: new Date().toISOString() };
    } catch (error) {
      if (error instanceof SluiceApiError && error.status === 409) {
        throw new StateRejectedError(flowRunId, state.type, error.code, error.message, { cause: error });
      }
      throw error;
    }
  }
}
