import type { Command } from "commander";
import type { FlowRun, State } from "@sluice/contracts";
import { CliError } from "../errors.js";
import { withConnection } from "../connection.js";
import {
  formatDuration,
  formatFields,
  formatState,
  formatTable,
  formatTime,
  printJson,
  printLine,
  shouldColor,
  type Column,
  printListing,
} from "../output.js";
import { collect, parseLimit, requireId, splitList } from "../params.js";
import { confirm } from "../prompt.js";
import { parseStateTypes } from "../states.js";
import { registerFlowRunExecuteCommand } from "./flow-run-execute.js";
import { registerFlowRunLogsCommand } from "./flow-run-logs.js";

function flowRunColumns(color: boolean): Column<FlowRun>[] {
  return [
    { header: "id", value: (r) => r.id },
    { header: "name", value: (r) => r.name, maxWidth: 30 },
    { header: "flow", value: (r) => r.flowName, maxWidth: 30 },
    { header: "state", value: (r) => formatState(r.stateType, r.stateName, color) },
    { header: "start", value: (r) => formatTime(r.startTime ?? r.expectedStartTime) },
    { header: "duration", value: (r) => formatDuration(r.totalRunTimeMs), alignRight: true },
    { header: "tags", value: (r) => r.tags.join(","), maxWidth: 30 },
  ];
}

function stateColumns(color: boolean): Column<State>[] {
  return [
    { header: "time", value: (s) => formatTime(s.timestamp) },
    { header: "type", value: (s) => s.type },
    { header: "name", value: (s) => formatState(s.type, s.name, color) },
    { header: "message", value: (s) => s.message ?? "", maxWidth: 80 },
  ];
}

/** Human view of one flow run and its state history. */
export function formatFlowRun(run: FlowRun, states: readonly State[], color: boolean): string {
  const fields: [string, string][] = [
    ["Flow run", `${run.name} (${run.id})`],
    ["Flow", run.flowName],
    [
      "State",
      formatState(run.stateType, run.stateName, color) + (run.state?.message ? `: ${run.state.message}` : ""),
    ],
    ["Tags", run.tags.length ? run.tags.join(", ") : "-"],
    ["Expected start", formatTime(run.expectedStartTime)],
    ["Started", formatTime(run.startTime)],
    ["Ended", formatTime(run.endTime)],
    ["Run time", formatDuration(run.totalRunTimeMs)],
    ["Run count", String(run.runCount)],
  ];
  if (run.parentTaskRunId) fields.push(["Parent task run", run.parentTaskRunId]);
  const params = Object.keys(run.parameters).length ? JSON.stringify(run.parameters, null, 2) : "(none)";
  return [
    formatFields(fields),
    "",
    "Parameters:",
    indent(params),
    "",
    "State history:",
    indent(states.length ? formatTable(states, stateColumns(color)) : "(none)"),
  ].join("\n");
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}

interface LsOptions {
  flow?: string[];
  state?: string[];
  tag?: string[];
  limit: number;
  json?: boolean;
}

/** `sluice flow-run ls|inspect|logs|cancel|retry|delete`. */
export function registerFlowRunCommands(program: Command): void {
  const group = program.command("flow-run").description("Flow runs: executions of flows");

  group
    .command("ls")
    .description("List flow runs, newest first")
    .option("--flow <name>", "only runs of this flow (repeatable)", collect)
    .option(
      "--state <types...>",
      "only runs in these state types, e.g. --state FAILED CRASHED (or comma-separated)",
    )
    .option("--tag <tag>", "only runs carrying this tag (repeatable: all must match)", collect)
    .option("--limit <n>", "most runs to show (1-1000)", parseLimit(), 20)
    .option("--json", "print JSON")
    .action(async (opts: LsOptions) => {
      const stateTypes = parseStateTypes(opts.state);
      const flowNames = splitList(opts.flow);
      const tags = splitList(opts.tag);
      await withConnection({ allowEmbedded: true }, async ({ api }) => {
        const page = await api.call("filterFlowRuns", {
          body: {
            limit: opts.limit,
            ...(flowNames.length ? { flowNames } : {}),
            ...(stateTypes ? { stateTypes } : {}),
            ...(tags.length ? { tags } : {}),
          },
        });
        printListing(page, flowRunColumns(shouldColor()), { json: opts.json, noun: "flow runs" });
      });
    });

  group
    .command("inspect <id>")
    .description("Show a flow run: parameters, state and state history")
    .option("--json", "print JSON ({ flowRun, states })")
    .action(async (rawId: string, opts: { json?: boolean }) => {
      const id = requireId(rawId, "flow run");
      await withConnection({ allowEmbedded: true }, async ({ api }) => {
        const run = await api.call("readFlowRun", { params: { id } });
        const states = await api.call("readFlowRunStates", { params: { id } });
        if (opts.json) return printJson({ flowRun: run, states });
        printLine(formatFlowRun(run, states, shouldColor()));
      });
    });

  registerFlowRunLogsCommand(group);
  registerFlowRunExecuteCommand(group);

  group
    .command("cancel <id>")
    .description("Cancel a flow run (proposes CANCELLING; the process running it stops it)")
    .option("--json", "print JSON (the set-state result)")
    .action(async (rawId: string, opts: { json?: boolean }) => {
      const id = requireId(rawId, "flow run");
      await withConnection({}, async ({ api }) => {
        const result = await api.call("setFlowRunState", {
          params: { id },
          body: { state: { type: "CANCELLING", message: "Cancelled from the CLI" } },
        });
        if (opts.json) return printJson(result);
        const state = formatState(result.state.type, result.state.name, shouldColor());
        if (result.status === "WAIT") {
          printLine(
            `Flow run ${id}: the server asked to wait (${result.reason ?? "no reason given"}); state is ${state}.`,
          );
          throw new CliError("cancellation not accepted yet; try again shortly");
        }
        printLine(`Flow run ${id} is now ${state}${result.reason ? ` (${result.reason})` : ""}.`);
      });
    });

  group
    .command("retry <id>")
    .description(
      "Retry a finished deployment run: schedule it again now for a worker (every task runs again)",
    )
    .option(
      "--from-failed",
      "re-run only from the failed task on: tasks that completed with a persisted result are reused",
    )
    .option("--json", "print JSON (the flow run)")
    .action(async (rawId: string, opts: { fromFailed?: boolean; json?: boolean }) => {
      const id = requireId(rawId, "flow run");
      const mode = opts.fromFailed ? "from-failed" : "all";
      await withConnection({}, async ({ api }) => {
        const run = await api.call("retryFlowRun", {
          params: { id },
          body: { mode, message: "Retried from the CLI" },
        });
        if (opts.json) return printJson(run);
        const state = formatState(run.stateType, run.stateName, shouldColor());
        printLine(
          `Flow run ${run.name} (${id}) is now ${state} (retry: ${mode}); a worker of ${run.workPoolName ?? "its pool"} will pick it up.`,
        );
      });
    });

  group
    .command("delete <id>")
    .description("Delete a flow run with its task runs, logs and artifacts")
    .option("-y, --yes", "do not ask for confirmation")
    .action(async (rawId: string, opts: { yes?: boolean }) => {
      const id = requireId(rawId, "flow run");
      await withConnection({}, async ({ api }) => {
        // Read first so an unknown id fails with flow_run_not_found before any question is asked.
        const run = await api.call("readFlowRun", { params: { id } });
        if (!opts.yes && !(await confirm(`Delete flow run ${run.name} (${id})?`))) {
          throw new CliError("Aborted; nothing deleted.");
        }
        await api.call("deleteFlowRun", { params: { id } });
        printLine(`Deleted flow run ${run.name} (${id}).`);
      });
    });
}
