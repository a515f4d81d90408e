import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { CliError, UsageError } from "./errors.js";

/** A flow run target: a file and the name of the flow exported from it. */
export interface FlowTarget {
  file: string;
  /** The export name; undefined when the target names only the file. */
  exportName: string | undefined;
}

/** Parses `path/to/file.ts:exportName` (the export name may be left out when the file exports one flow). */
export function parseFlowTarget(target: string): FlowTarget {
  const match = /^(.+\.(?:[cm]?[jt]s|tsx|jsx)):([A-Za-z_$][\w$]*)$/.exec(target);
  if (match) return { file: match[1] ?? "", exportName: match[2] };
  if (/\.(?:[cm]?[jt]s|tsx|jsx)$/.test(target)) return { file: target, exportName: undefined };
  throw new UsageError(
    `invalid flow "${target}": expected <file.ts>:<exportedFlow>, for example flows/etl.ts:etl`,
  );
}

let loaderRegistration: Promise<void> | undefined;

/**
 * Makes `import()` of TypeScript files work. In development the CLI itself runs under tsx (its own
 * module is a .ts file); from the published dist/ it registers tsx's ESM loader once, even when two
 * callers ask at the same time (registering twice would load every file twice).
 */
export function ensureTypeScriptLoader(): Promise<void> {
  if (import.meta.url.endsWith(".ts")) return Promise.resolve();
  loaderRegistration ??= import("tsx/esm/api").then(({ register }) => {
    register();
  });
  return loaderRegistration;
}

/**
 * Imports a TypeScript module (a flow file, or `noun` for other modules), failing with a clear
 * message when it is missing or does not load.
 */
export async function importFlowFile(file: string, noun = "flow file"): Promise<Record<string, unknown>> {
  const path = resolve(file);
  if (!existsSync(path)) throw new CliError(`${noun} not found: ${file} (looked at ${path})`);
  await ensureTypeScriptLoader();
  try {
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(`could not load ${file}: ${(error as Error).message}`, 1, { cause: error });
  }
}

/** Tells flows from other values (the SDK's `isFlow`). */
export type IsFlow = (value: unknown) => boolean;

/** The names of a module's exports that are flows. */
export function flowExportNames(module: Record<string, unknown>, isFlow: IsFlow): string[] {
  return Object.keys(module).filter((name) => isFlow(module[name]));
}

/** Finds the flow named by `target` in `module`, or explains which flows the file does export. */
export function findFlowExport(
  module: Record<string, unknown>,
  target: FlowTarget,
  isFlow: IsFlow,
): { name: string; flow: unknown } {
  const names = flowExportNames(module, isFlow);
  const available = names.length
    ? `flows exported by ${target.file}: ${names.join(", ")}`
    : `${target.file} exports no flows`;
  if (target.exportName === undefined) {
    const only = names.length === 1 ? names[0] : undefined;
    if (only !== undefined) return { name: only, flow: module[only] };
    throw new UsageError(`name the flow to run as ${target.file}:<exportedFlow>; ${available}`);
  }
  const value = module[target.exportName];
  if (value === undefined)
    throw new CliError(`${target.file} has no export named "${target.exportName}"; ${available}`);
  if (!isFlow(value))
    throw new CliError(`export "${target.exportName}" of ${target.file} is not a flow; ${available}`);
  return { name: target.exportName, flow: value };
}

/** Imports the file of `target` and returns the flow it names. */
export async function loadFlow(target: FlowTarget): Promise<{ name: string; flow: unknown }> {
  const module = await importFlowFile(target.file);
  const { isFlow } = await import("@sluice/sdk");
  return findFlowExport(module, target, isFlow);
}
