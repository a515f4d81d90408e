#!/usr/bin/env node
/**
 * `sluice flow-run execute [id]` without the rest of the CLI: the entry a process worker launches.
 * It loads only what executing a run needs (not every command), because the time from a claim to
 * the flow's first line counts. Usage: `node flow-run-execute-main.js <id>` (or SLUICE_FLOW_RUN_ID).
 */
import { executeDeploymentFlowRun } from "./commands/flow-run-execute.js";
import { CliError, EXIT_FAILURE, describeError } from "./errors.js";
import { loadDotEnv } from "./settings.js";

let code: number;
try {
  loadDotEnv();
  code = await executeDeploymentFlowRun(process.argv[2]);
} catch (error) {
  process.stderr.write(`Error: ${describeError(error)}\n`);
  code = error instanceof CliError ? error.exitCode : EXIT_FAILURE;
}
// As main.ts: let piped output drain, then exit, so SDK timers cannot keep a finished run alive.
await Promise.all(
  [process.stdout, process.stderr].map(
    (stream) => new Promise<void>((resolve) => stream.write("", () => resolve())),
  ),
);
process.exit(code);
