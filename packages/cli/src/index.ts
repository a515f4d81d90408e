/**
 * @sluice/cli: the `sluice` command. Its process entry is `main.ts` (bin `sluice`); this module exposes
 * the pieces other tools may reuse.
 *
 * @example
 * import { createProgram } from "@sluice/cli";
 * await createProgram().parseAsync(["node", "sluice", "flow-run", "ls", "--json"]);
 */
export { createProgram } from "./program.js";
export { CliError, UsageError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./errors.js";
export { buildParameters, parseParamValue } from "./params.js";
export { effectiveSettings, maskSetting, maskUrlPassword, type EffectiveSetting } from "./settings.js";
export { formatTable, type Column } from "./output.js";
