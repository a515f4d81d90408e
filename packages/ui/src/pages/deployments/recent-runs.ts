import type { SluiceClient } from "@sluice/client";
import { StateType, type FlowRun } from "@sluice/contracts";

/** How many recent runs a deployment's row shows. */
export const RECENT_RUNS = 5;
const BATCH_LIMIT = 200;
/** Runs that have started or ended: scheduled runs are upcoming, not recent. */
const PAST_STATES = StateType.options.filter((type) => type !== "SCHEDULED");

/**
 * The latest runs of each deployment, newest first. One request covers the whole page of
 * deployments; only when that batch was cut short are the deployments it left with fewer than
 * RECENT_RUNS asked for separately (a busy deployment must not hide a quiet one's last run).
 */
export async function loadRecentRuns(
  client: SluiceClient,
  deploymentIds: readonly string[],
): Promise<Map<string, FlowRun[]>> {
  const byDeployment = new Map<string, FlowRun[]>(deploymentIds.map((id) => [id, []]));
  if (deploymentIds.length === 0) return byDeployment;
  const batch = await client.filterFlowRuns({
    deploymentIds: [...deploymentIds],
    stateTypes: PAST_STATES,
    limit: BATCH_LIMIT,
    sort: "EXPECTED_START_TIME_DESC",
  });
  for (const run of batch.items) {
    const list = run.deploymentId ? byDeployment.get(run.deploymentId) : undefined;
    if (list && list.length < RECENT_RUNS) list.push(run);
  }
  if (batch.nextCursor === null) return byDeployment;
  const short = deploymentIds.filter((id) => (byDeployment.get(id)?.length ?? 0) < RECENT_RUNS);
  const pages = await Promise.all(
    short.map((id) =>
      client.filterFlowRuns({
        deploymentIds: [id],
        stateTypes: PAST_STATES,
        limit: RECENT_RUNS,
        sort: "EXPECTED_START_TIME_DESC",
      }),
    ),
  );
  short.forEach((id, i) => byDeployment.set(id, pages[i]?.items ?? []));
  return byDeployment;
}
