#!/usr/bin/env node
/**
 * `sluice flow-run execute [id]` without the rest of the CLI: the entry a process worker launches.
 * It loads only what executing a run needs (not every command), because the time from a claim to
 * the flow's first line counts. Usage: `node flow-run-execute-main.js <id>` (or SLUICE_FLOW_RUN_ID),
 * or `node flow-run-execute-main.js --warm-spare`: started ahead by a worker, it loads what it can
 * and waits for its run on stdin (see awaitWarmHandoff).
 */
import { WARM_SPARE_FLAG, awaitWarmHandoff, executeDeploymentFlowRun } from "./commands/flow-run-execute.js";
import { CliError, EXIT_FAILURE, EXIT_OK, describeError } from "./errors.js";
import { loadDotEnv } from "./settings.js";

let code: number;
try {
  if (process.argv[2] === WARM_SPARE_FLAG) {
    // A spare whose worker went away before handing it a run has nothing to do.
    const id = await awaitWarmHandoff();
    code = id === undefined ? EXIT_OK : await executeDeploymentFlowRun(id);
  } else {
    loadDotEnv();
    code = await executeDeploymentFlowRun(process.argv[2]);
  }
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
