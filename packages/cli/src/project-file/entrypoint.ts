import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ensureTypeScriptLoader, flowExportNames, parseFlowTarget } from "../flow-file.js";

/** What a deployment needs from its flow: the flow's registered name and the JSON schema of its parameters. */
export interface EntrypointFlow {
  flowName: string;
  parameterSchema: Record<string, unknown> | null;
}

/**
 * Loads `file.ts:exportName` relative to `directory` and reads the flow it exports. Answers a message
 * (not an exception) when the file is missing, does not load, or does not export that flow, so the
 * caller can position it in the project file.
 */
export async function readEntrypointFlow(
  directory: string,
  entrypoint: string,
): Promise<{ flow: EntrypointFlow } | { problem: string }> {
  const target = parseFlowTarget(entrypoint);
  const path = resolve(join(directory, target.file));
  if (!existsSync(path)) return { problem: `the file ${target.file} does not exist (looked at ${path})` };
  await ensureTypeScriptLoader();
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    return { problem: `${target.file} does not load: ${(error as Error).message.split("\n")[0] ?? ""}` };
  }
  const { isFlow } = await import("@sluice/sdk");
  const names = flowExportNames(module, isFlow);
  const available = names.length ? `it exports the flows ${names.join(", ")}` : "it exports no flows";
  const value = module[target.exportName ?? ""];
  if (value === undefined) {
    return { problem: `${target.file} has no export named "${target.exportName ?? ""}"; ${available}` };
  }
  if (!isFlow(value)) {
    return { problem: `export "${target.exportName ?? ""}" of ${target.file} is not a flow; ${available}` };
  }
  return { flow: { flowName: value.flowName, parameterSchema: value.parameterSchema } };
}
