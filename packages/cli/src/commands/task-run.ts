import type { Command } from "commander";
import type { TaskRun } from "@sluice/contracts";
import { withConnection } from "../connection.js";
import {
  formatDuration,
  formatState,
  formatTime,
  printListing,
  shouldColor,
  type Column,
} from "../output.js";
import { parseLimit, requireId } from "../params.js";
import { parseStateTypes } from "../states.js";

function taskRunColumns(color: boolean): Column<TaskRun>[] {
  return [
    { header: "id", value: (t) => t.id },
    { header: "name", value: (t) => t.name, maxWidth: 40 },
    { header: "flow run", value: (t) => t.flowRunId },
    { header: "state", value: (t) => formatState(t.stateType, t.stateName, color) },
    { header: "start", value: (t) => formatTime(t.startTime) },
    { header: "duration", value: (t) => formatDuration(t.totalRunTimeMs), alignRight: true },
  ];
}

/** `sluice task-run ls`. */
export function registerTaskRunCommands(program: Command): void {
  const group = program.command("task-run").description("Task runs: calls of tasks inside flow runs");
  group
    .command("ls")
    .description("List task runs, oldest first")
    .option("--flow-run <id>", "only task runs of this flow run")
    .option("--state <types...>", "only task runs in these state types (several, or comma-separated)")
    .option("--limit <n>", "most task runs to show (1-1000)", parseLimit(), 50)
    .option("--json", "print JSON")
    .action(async (opts: { flowRun?: string; state?: string[]; limit: number; json?: boolean }) => {
      const stateTypes = parseStateTypes(opts.state);
      const flowRunId = opts.flowRun === undefined ? undefined : requireId(opts.flowRun, "flow run");
      await withConnection({ allowEmbedded: true }, async ({ api }) => {
        const page = await api.call("filterTaskRuns", {
          body: {
            limit: opts.limit,
            ...(flowRunId ? { flowRunIds: [flowRunId] } : {}),
            ...(stateTypes ? { stateTypes } : {}),
          },
        });
        printListing(page, taskRunColumns(shouldColor()), { json: opts.json, noun: "task runs" });
      });
    });
}
