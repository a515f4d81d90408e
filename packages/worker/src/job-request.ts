import type { ClaimedFlowRun, WorkPool } from "@sluice/contracts";
import { splitCommandLine } from "./command-line.js";
import { parseJobConfiguration } from "./job-configuration.js";
import { renderJobConfiguration } from "./job-template.js";
import { FLOW_RUN_ID_LABEL, type JobRequest, type Launcher } from "./infrastructure/launcher.js";

/** A job request and whether its output goes into the run's logs. */
export interface PreparedJob {
  request: JobRequest;
  streamOutput: boolean;
}

/**
 * Renders the pool's base job template with the run's job variables (its name defaults to the
 * run's) and turns it into a launcher's request: the argv, the environment (SLUICE_API_URL and
 * SLUICE_FLOW_RUN_ID added, so any command can find its run, and the worker's SLUICE_API_KEY, so
 * it may report to a server that needs a key; containers do not inherit the worker's environment)
 * and the labels.
 */
export function prepareJob(
  claimed: ClaimedFlowRun,
  pool: Pick<WorkPool, "type" | "baseJobTemplate">,
  launcher: Pick<Launcher, "defaultCommand">,
  apiUrl: string,
  apiKey?: string,
): PreparedJob {
  const { flowRun } = claimed;
  const variables = { name: flowRun.name, ...flowRun.jobVariables };
  const configuration = renderJobConfiguration(pool.baseJobTemplate, variables);
  const common = parseJobConfiguration(pool.type, configuration);
  const command =
    common.command === undefined
      ? launcher.defaultCommand(flowRun.id)
      : typeof common.command === "string"
        ? splitCommandLine(common.command)
        : common.command;
  return {
    request: {
      flowRun: { id: flowRun.id, name: flowRun.name },
      configuration,
      deploymentPath: claimed.path,
      command,
      // The job's env may point SLUICE_API_URL elsewhere (a container network's address).
      env: {
        SLUICE_API_URL: apiUrl,
        ...(apiKey ? { SLUICE_API_KEY: apiKey } : {}),
        ...common.env,
        SLUICE_FLOW_RUN_ID: flowRun.id,
      },
      name: common.name ?? flowRun.name,
      labels: { ...common.labels, [FLOW_RUN_ID_LABEL]: flowRun.id },
    },
    streamOutput: common.streamOutput,
  };
}
