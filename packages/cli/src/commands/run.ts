import type { Command } from "commander";
import { flowRunPageUrl, type State } from "@sluice/contracts";
import type { Flow } from "@sluice/sdk";
import { apiUrl, firstUrl, isServerReachable, unreachable } from "../connection.js";
import { CliError, EXIT_FAILURE, EXIT_OK, describeError, isApiError, issuesOf } from "../errors.js";
import { loadFlow, parseFlowTarget } from "../flow-file.js";
import { formatState, printJson, printLine, shouldColor } from "../output.js";
import { buildParameters, collect } from "../params.js";
import { sluiceHome } from "../settings.js";

/** How a run ended, as `sluice run` reports it (the error as its message, so it prints as JSON). */
export interface CliRunOutcome {
  flowRunId: string;
  state: State;
  result: unknown;
  error?: string;
}

/** True for an error saying a flow's parameters are invalid (API code or SDK error). */
function isInvalidParameters(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "invalid_parameters" || (error instanceof Error && /parameter/i.test(error.name));
}

/** Runs a loaded flow with the SDK against `url` (or the SDK's ephemeral server when undefined). */
export async function runFlowFromCli(
  flowObj: unknown,
  name: string,
  params: Record<string, unknown>,
  url: string | undefined,
): Promise<CliRunOutcome> {
  const sdk = await import("@sluice/sdk");
  if (url !== undefined) sdk.configureSdk({ apiUrl: url });
  try {
    // No spinner here: the SDK echoes the run's log lines to stderr, which is the progress.
    const outcome = await sdk.runFlow(flowObj as Flow<Record<string, unknown>, unknown>, params);
    const { flowRunId, state, result, error } = outcome;
    return { flowRunId, state, result, ...(error !== undefined ? { error: describeError(error) } : {}) };
  } catch (error) {
    if (isInvalidParameters(error)) {
      const issues = issuesOf(error);
      const lines = [`Invalid parameters for flow ${name}; no run was started.`];
      for (const issue of issues) lines.push(`  - ${issue.path || "(parameters)"}: ${issue.message}`);
      if (issues.length === 0) lines.push(`  ${describeError(error)}`);
      throw new CliError(lines.join("\n"), EXIT_FAILURE, { cause: error });
    }
    if (isApiError(error)) throw error;
    throw new CliError(`flow ${name} could not run: ${describeError(error)}`, EXIT_FAILURE, { cause: error });
  } finally {
    await sdk.closeSdk();
  }
}

/** The flow's registered name (what `flow ls` shows), else its export name. */
export function flowDisplayName(flowObj: unknown, exportName: string): string {
  const registered = (flowObj as { flowName?: unknown }).flowName;
  return typeof registered === "string" ? registered : exportName;
}

/** Where to see a run, as lines to print. */
export function whereToLook(flowRunId: string, url: string | undefined): string[] {
  const lines = [`  sluice flow-run inspect ${flowRunId}`, `  sluice flow-run logs ${flowRunId}`];
  if (url !== undefined) lines.push(`  UI:  ${flowRunPageUrl(firstUrl(url), flowRunId)}`);
  else {
    lines.push(
      `  (recorded in ${sluiceHome()}; \`sluice server start\` serves it at ${flowRunPageUrl(firstUrl(apiUrl()), flowRunId)})`,
    );
  }
  return lines;
}

/** `sluice run <file.ts>:<flow>`. */
export function registerRunCommand(program: Command): void {
  program
    .command("run <target>")
    .description("Run a flow from a TypeScript file: sluice run flows/etl.ts:etl --param source=s3://x")
    .option(
      "--param <key=value>",
      "a parameter; the value is parsed as JSON when it parses (repeatable)",
      collect,
    )
    .option("--params <json>", "parameters as a JSON object (--param values override its keys)")
    .option("--json", "print the outcome as JSON")
    .action(async (target: string, opts: { param?: string[]; params?: string; json?: boolean }) => {
      const params = buildParameters(opts.param ?? [], opts.params);
      const loaded = await loadFlow(parseFlowTarget(target));
      const { flow } = loaded;
      const name = flowDisplayName(flow, loaded.name);
      // A server answering at the default address is used; otherwise the SDK starts an ephemeral one.
      const url = apiUrl();
      const explicit = (process.env.SLUICE_API_URL ?? "").trim() !== "";
      const reachable = await isServerReachable(url);
      if (explicit && !reachable) throw unreachable(url, true);
      const useUrl = reachable ? url : undefined;
      // Without a server, the SDK's ephemeral server opens the PGlite database in SLUICE_HOME under its
      // lock, failing at once (naming the holder) when another process holds it.
      const outcome = await runFlowFromCli(flow, name, params, useUrl);
      if (opts.json) printJson(outcome);
      else {
        const state = formatState(outcome.state.type, outcome.state.name, shouldColor());
        printLine(`Flow run ${outcome.flowRunId} of ${name} finished: ${state}`);
        const detail = outcome.state.message ?? outcome.error;
        if (detail) printLine(`  ${detail}`);
        printLine("See it:");
        for (const line of whereToLook(outcome.flowRunId, useUrl)) printLine(line);
      }
      process.exitCode = outcome.state.type === "COMPLETED" ? EXIT_OK : EXIT_FAILURE;
    });
}
