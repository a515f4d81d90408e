#!/usr/bin/env node
/** The `sluice` command's process entry: loads .env, parses argv, maps errors to exit codes. */
import { CommanderError } from "commander";
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, describeError } from "./errors.js";
import { createProgram } from "./program.js";
import { loadDotEnv } from "./settings.js";

const HELP_CODES = new Set(["commander.helpDisplayed", "commander.help", "commander.version"]);

/** Runs the CLI with `argv` and returns the exit code. */
export async function runCli(argv: readonly string[] = process.argv): Promise<number> {
  loadDotEnv();
  try {
    await createProgram().parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message.
      // --help and --version exit 0; help shown for a missing subcommand is a usage error.
      return HELP_CODES.has(error.code) && error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    process.stderr.write(`Error: ${describeError(error)}\n`);
    if (process.env.SLUICE_DEBUG && error instanceof Error && error.stack)
      process.stderr.write(`${error.stack}\n`);
    return error instanceof CliError ? error.exitCode : EXIT_FAILURE;
  }
}

const code = await runCli();
// Let piped output drain (asynchronous on some platforms), then exit explicitly: an embedded server or
// SDK timers must not keep a finished command alive.
await Promise.all(
  [process.stdout, process.stderr].map(
    (stream) => new Promise<void>((resolve) => stream.write("", () => resolve())),
  ),
);
process.exit(code);
