import type { SluiceClient } from "@sluice/client";
import { currentScope } from "../context/run-context.js";
import { acquireSession } from "./connection.js";

/** Runs `work` with the current run's client, or with the SDK's session outside a run. */
export async function withClient<T>(work: (client: SluiceClient) => Promise<T>): Promise<T> {
  const scope = currentScope();
  if (scope) return work(scope.flowRun.session.client);
  const { session, release } = await acquireSession();
  try {
    return await work(session.client);
  } finally {
    await release();
  }
}
