import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import type { Command } from "commander";
import { createClient, type SluiceClient } from "@sluice/client";
import type { Flow } from "@sluice/sdk";
import { apiUrl } from "../connection.js";
import { CliError, EXIT_FAILURE, EXIT_OK, UsageError, describeError } from "../errors.js";
import { ensureTypeScriptLoader, findFlowExport, importFlowFile, parseFlowTarget } from "../flow-file.js";
import { requireId } from "../params.js";

/**
 * The file of a deployment's entrypoint, resolved against the deployment's path and confined to it:
 * a file outside that directory (through `..`, an absolute path or a symbolic link) is refused.
 */
export function resolveEntrypointFile(file: string, base: string): string {
  const root = resolve(base);
  const path = resolve(root, file);
  let realRoot = root;
  let realPath = path;
  try {
    realRoot = realpathSync(root);
    realPath = realpathSync(path);
  } catch (error) {
    // A missing file is reported by the loader with the path it looked at.
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const inside = relative(realRoot, realPath);
  if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) {
    throw new CliError(`entrypoint file ${file} is outside the deployment's directory ${root}`);
  }
  return path;
}

/** Records a run that cannot start as FAILED (so no crash retry runs it again), then reports it. */
async function failRun(api: SluiceClient, id: string, message: string, cause: unknown): Promise<never> {
  try {
    await api.setFlowRunState(id, { state: { type: "FAILED", message } });
  } catch (error) {
    process.stderr.write(`Could not mark flow run ${id} FAILED: ${describeError(error)}\n`);
  }
  throw new CliError(message, EXIT_FAILURE, { cause });
}

/** Loads the deployment's flow for a run, or marks the run FAILED with the reason. */
async function loadDeploymentFlow(api: SluiceClient, runId: string, deploymentId: string): Promise<unknown> {
  const deployment = await api.call("readDeployment", { params: { id: deploymentId } });
  const base = deployment.path ?? process.cwd();
  try {
    const target = parseFlowTarget(deployment.entrypoint);
    const file = resolveEntrypointFile(target.file, base);
    const [module, { isFlow }] = await Promise.all([importFlowFile(file), import("@sluice/sdk")]);
    return findFlowExport(module, target, isFlow).flow;
  } catch (error) {
    const message = `cannot load the flow of deployment ${deployment.flowName}/${deployment.name} (${deployment.entrypoint} in ${base}): ${describeError(error)}`;
    return failRun(api, runId, message, error);
  }
}

/**
 * Executes a deployment's flow run in this process and returns the exit code: 0 only when it
 * ends COMPLETED. `rawId` defaults to SLUICE_FLOW_RUN_ID.
 */
export async function executeDeploymentFlowRun(rawId: string | undefined): Promise<number> {
  const given = rawId ?? process.env.SLUICE_FLOW_RUN_ID;
  if (!given) throw new UsageError("name the flow run to execute (or set SLUICE_FLOW_RUN_ID)");
  const id = requireId(given, "flow run");
  // Loaded while the run is read: the target is under 500 ms from claim to the flow's first line.
  const sdkLoading = import("@sluice/sdk");
  const loaderReady = ensureTypeScriptLoader();
  const url = apiUrl();
  const api = createClient({ baseUrl: url, apiKey: process.env.SLUICE_API_KEY || undefined });
  const run = await api.readFlowRun(id);
  if (!run.deploymentId) {
    throw new CliError(
      `flow run ${id} was not made by a deployment; only deployment runs can be executed (use \`sluice run\` for a file)`,
    );
  }
  await loaderReady;
  const flow = await loadDeploymentFlow(api, id, run.deploymentId);
  const sdk = await sdkLoading;
  sdk.configureSdk({ apiUrl: url });
  let outcome: Awaited<ReturnType<typeof sdk.runFlow>>;
  try {
    outcome = await sdk.runFlow(flow as Flow<Record<string, unknown>, unknown>, run.parameters, {
      flowRunId: id,
    });
  } catch (error) {
    // The run never started (invalid parameters, a rejected transition): say why on the run.
    if (error instanceof sdk.ParameterValidationError) {
      return failRun(api, id, `invalid parameters: ${describeError(error)}`, error);
    }
    throw error;
  } finally {
    await sdk.closeSdk();
  }
  return outcome.state.type === "COMPLETED" ? EXIT_OK : EXIT_FAILURE;
}

/** `sluice flow-run execute [id]`: what a worker's job runs (workers use the lean flow-run-execute-main entry). */
export function registerFlowRunExecuteCommand(group: Command): void {
  group
    .command("execute [id]")
    .description(
      "Execute a deployment's flow run (what workers run): load its entrypoint and run the flow in this process",
    )
    .action(async (rawId: string | undefined) => {
      process.exitCode = await executeDeploymentFlowRun(rawId);
    });
}
