import type { Command } from "commander";
import { flowRunPageUrl, type FlowRun } from "@sluice/contracts";
import { withConnection, type Api } from "../connection.js";
import {
  CliError,
  EXIT_FAILURE,
  EXIT_OK,
  UsageError,
  describeError,
  isApiError,
  issuesOf,
} from "../errors.js";
import { formatState, formatTime, printJson, printLine, shouldColor } from "../output.js";
import { buildParameters, collect } from "../params.js";
import { deploymentAddress, readDeploymentRef } from "./deployment-view.js";
import { followFlowRun } from "./flow-run-logs.js";

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `--start-in`: a duration such as 30s, 5m, 2h, 1d or 1h30m, in milliseconds. */
export function parseStartIn(value: string): number {
  const text = value.trim().toLowerCase();
  if (!/^(?:\d+(?:\.\d+)?[smhd])+$/.test(text)) {
    throw new UsageError(`invalid --start-in "${value}": expected a duration such as 30s, 5m, 2h or 1h30m`);
  }
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)) {
    ms += Number(amount) * (UNIT_MS[unit ?? "s"] ?? 1000);
  }
  return ms;
}

/** Parses `--start-at`: an ISO-8601 time (with a time zone offset, or UTC when none is given). */
export function parseStartAt(value: string): string {
  const hasZone = /(?:Z|[+-]\d\d:?\d\d)$/i.test(value.trim());
  const time = Date.parse(hasZone || !value.includes("T") ? value : `${value}Z`);
  if (Number.isNaN(time)) {
    throw new UsageError(
      `invalid --start-at "${value}": expected an ISO-8601 time such as 2026-01-02T03:00:00Z`,
    );
  }
  return new Date(time).toISOString();
}

interface RunOptions {
  param?: string[];
  params?: string;
  startIn?: string;
  startAt?: string;
  watch?: boolean;
  json?: boolean;
}

/** When the run should start: undefined for now. */
function scheduledTime(opts: RunOptions, now = Date.now()): string | undefined {
  if (opts.startIn !== undefined && opts.startAt !== undefined) {
    throw new UsageError("pass --start-in or --start-at, not both");
  }
  if (opts.startIn !== undefined) return new Date(now + parseStartIn(opts.startIn)).toISOString();
  if (opts.startAt !== undefined) return parseStartAt(opts.startAt);
  return undefined;
}

/** The message for refused parameters: one line per failing field. */
function invalidParameters(address: string, error: unknown): CliError {
  const lines = [`Invalid parameters for deployment ${address}; no run was created.`];
  for (const issue of issuesOf(error)) {
    lines.push(`  - ${issue.path.replace(/^body\./, "") || "parameters"}: ${issue.message}`);
  }
  if (lines.length === 1) lines.push(`  ${describeError(error)}`);
  return new CliError(lines.join("\n"), EXIT_FAILURE, { cause: error });
}

function isParameterError(error: unknown): boolean {
  if (!isApiError(error)) return false;
  if (error.code === "invalid_parameters") return true;
  return (
    error.code === "validation_failed" && issuesOf(error).some((i) => /^(body\.)?parameters/.test(i.path))
  );
}

/** Watches a run to its end: every state it passes through and its logs; exit code 0 only for COMPLETED. */
async function watchRun(api: Api, run: FlowRun, json: boolean): Promise<void> {
  const color = shouldColor();
  // States are read from the run's history, so a state shorter than one poll is still printed.
  // The state the run was created in was printed with it; every later one is printed once.
  const printed = new Set(run.state ? [run.state.id] : []);
  const final = await followFlowRun(api, run, {
    json,
    onStateChange: async (current, progress) => {
      if (json) return;
      const states = await api.call("readFlowRunStates", { params: { id: current.id } });
      for (const state of states) {
        if (printed.has(state.id)) continue;
        printed.add(state.id);
        progress.clear();
        const message = state.message ? `: ${state.message}` : "";
        printLine(
          `${formatTime(state.timestamp)} ${current.name} is ${formatState(state.type, state.name, color)}${message}`,
        );
      }
    },
  });
  if (json) printJson(final);
  else {
    const message = final.state?.message ? `: ${final.state.message}` : "";
    printLine(
      `Flow run ${final.name} ended ${formatState(final.stateType, final.stateName, color)}${message}`,
    );
  }
  process.exitCode = final.stateType === "COMPLETED" ? EXIT_OK : EXIT_FAILURE;
}

/** `sluice deployment run FLOW/DEPLOYMENT [--param k=v] [--params JSON] [--start-in D | --start-at T] [--watch]`. */
export function registerDeploymentRunCommand(group: Command): void {
  group
    .command("run <deployment>")
    .description("Create a flow run of a deployment (FLOW/DEPLOYMENT or id); a worker of its pool runs it")
    .option(
      "--param <key=value>",
      "a parameter; the value is parsed as JSON when it parses (repeatable)",
      collect,
    )
    .option("--params <json>", "parameters as a JSON object (--param values override its keys)")
    .option("--start-in <duration>", "start later: 30s, 5m, 2h, 1h30m")
    .option("--start-at <time>", "start at an ISO-8601 time, e.g. 2026-01-02T03:00:00Z")
    .option("-w, --watch", "print states and logs until the run ends; exit 0 only when it COMPLETED")
    .option("--json", "print the flow run as JSON (with --watch: logs as JSON lines, then the run)")
    .action(async (ref: string, opts: RunOptions) => {
      const parameters = buildParameters(opts.param ?? [], opts.params);
      const startAt = scheduledTime(opts);
      await withConnection({}, async ({ api, url }) => {
        const deployment = await readDeploymentRef(api, ref);
        const address = deploymentAddress(deployment);
        let run: FlowRun;
        try {
          run = await api.call("createDeploymentFlowRun", {
            params: { id: deployment.id },
            body: {
              parameters,
              ...(startAt ? { state: { type: "SCHEDULED", details: { scheduledTime: startAt } } } : {}),
            },
          });
        } catch (error) {
          throw isParameterError(error) ? invalidParameters(address, error) : error;
        }
        if (opts.json && !opts.watch) return printJson(run);
        if (!opts.json) {
          const when = formatTime(run.nextScheduledStartTime ?? run.expectedStartTime);
          printLine(
            `Created flow run ${run.name} (${run.id}) of ${address}, ${formatState(run.stateType, run.stateName, shouldColor())} for ${when} UTC`,
          );
          printLine(`  UI:    ${flowRunPageUrl(url, run.id)}`);
          if (!opts.watch) printLine(`  watch: sluice flow-run logs ${run.id} --follow`);
        }
        if (opts.watch) await watchRun(api, run, opts.json === true);
      });
    });
}
