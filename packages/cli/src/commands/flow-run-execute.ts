import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import type { Command } from "commander";
import { createClient, type SluiceClient } from "@sluice/client";
import type { Flow } from "@sluice/sdk";
import { apiUrl } from "../connection.js";
import { CliError, EXIT_FAILURE, EXIT_OK, UsageError, describeError } from "../errors.js";
import { ensureTypeScriptLoader, findFlowExport, importFlowFile, parseFlowTarget } from "../flow-file.js";
import { requireId } from "../params.js";
import { loadDotEnv } from "../settings.js";

/**
 * The argument that makes this command a worker's warm spare (the worker's WARM_SPARE_FLAG, in
 * @sluice/worker's warm-spare.ts, which this entry does not import: it would load the launchers).
 */
export const WARM_SPARE_FLAG = "--warm-spare";

/** The line a worker writes on a spare's stdin (its WarmHandoff). */
interface WarmHandoff {
  flowRunId: string;
  cwd: string;
  env: Record<string, string>;
}

function parseHandoff(line: string): WarmHandoff {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new CliError(`invalid warm handoff from the worker: not JSON (${describeError(error)})`);
  }
  const { flowRunId, cwd, env } = (value ?? {}) as Partial<Record<keyof WarmHandoff, unknown>>;
  const bad =
    typeof flowRunId !== "string"
      ? "flowRunId"
      : typeof cwd !== "string"
        ? "cwd"
        : typeof env !== "object" || env === null || Object.values(env).some((v) => typeof v !== "string")
          ? "env"
          : undefined;
  if (bad) throw new CliError(`invalid warm handoff from the worker: field ${bad}`);
  return { flowRunId: flowRunId as string, cwd: cwd as string, env: env as Record<string, string> };
}

/** The first line of `input`; undefined when it ends first. stdin is closed afterwards either way. */
function readFirstLine(input: NodeJS.ReadStream): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let text = "";
    const settle = (finish: () => void) => {
      input.off("data", onData).off("end", onEnd).off("error", onError);
      input.destroy();
      finish();
    };
    const onData = (chunk: string) => {
      text += chunk;
      const newline = text.indexOf("\n");
      if (newline >= 0) settle(() => resolve(text.slice(0, newline)));
    };
    // A partial line means the worker died while writing: there is no run.
    const onEnd = () => settle(() => resolve(undefined));
    const onError = (error: Error) => settle(() => reject(error));
    input.setEncoding("utf8");
    input.on("data", onData).on("end", onEnd).on("error", onError);
  });
}

/**
 * Waits as a worker's warm spare: loads the TypeScript loader and the SDK, then reads its run from
 * stdin. Until then it holds nothing of any run; once handed one it takes the job's working
 * directory and environment (then its .env), as a process started for the run would have. Returns
 * the run's id, or undefined when stdin closed first (the worker stopped or died).
 */
export async function awaitWarmHandoff(): Promise<string | undefined> {
  // Any failure here comes back when executeDeploymentFlowRun makes the same calls, with the run's
  // id known, and is reported there.
  const preloaded = Promise.all([ensureTypeScriptLoader(), import("@sluice/sdk")]).then(
    () => undefined,
    () => undefined,
  );
  // Node loads its fetch implementation on first use (some 20-30 ms); a Response loads it, offline.
  new Response("");
  const line = await readFirstLine(process.stdin);
  if (line === undefined) return undefined;
  // A run handed over before the loader is registered must not register it a second time (the
  // loader's guard is set only once registering has finished), which would slow every import.
  await preloaded;
  const handoff = parseHandoff(line);
  process.chdir(handoff.cwd);
  Object.assign(process.env, handoff.env);
  // The argv a cold start would have had: the run's id where the flag is.
  const flagAt = process.argv.indexOf(WARM_SPARE_FLAG);
  if (flagAt >= 0) process.argv[flagAt] = handoff.flowRunId;
  loadDotEnv();
  return handoff.flowRunId;
}

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
  const command = group
    .command("execute [id]")
    .description(
      "Execute a deployment's flow run (what workers run): load its entrypoint and run the flow in this process",
    );
  // Workers start the command this way; it is not for people.
  command.addOption(
    command
      .createOption(WARM_SPARE_FLAG, "wait for the run's id on stdin, as a worker's warm spare")
      .hideHelp(),
  );
  command.action(async (rawId: string | undefined, opts: { warmSpare?: boolean }) => {
    const id = opts.warmSpare ? await awaitWarmHandoff() : rawId;
    if (opts.warmSpare && id === undefined) return;
    process.exitCode = await executeDeploymentFlowRun(id);
  });
}
