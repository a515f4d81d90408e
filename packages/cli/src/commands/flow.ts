import type { Command } from "commander";
import type { Flow } from "@sluice/contracts";
import { withConnection } from "../connection.js";
import { formatTime, printListing, type Column } from "../output.js";
import { parseLimit } from "../params.js";

const FLOW_COLUMNS: Column<Flow>[] = [
  { header: "id", value: (f) => f.id },
  { header: "name", value: (f) => f.name },
  { header: "tags", value: (f) => f.tags.join(",") },
  { header: "created", value: (f) => formatTime(f.createdAt) },
];

/** `sluice flow ls`. */
export function registerFlowCommands(program: Command): void {
  const flow = program.command("flow").description("Flows: named workflow functions");
  flow
    .command("ls")
    .description("List flows")
    .option("--name <text>", "only flows whose name contains this text")
    .option("--limit <n>", "most flows to show (1-1000)", parseLimit(), 200)
    .option("--json", "print JSON")
    .action(async (opts: { name?: string; limit: number; json?: boolean }) => {
      await withConnection({ allowEmbedded: true }, async ({ api }) => {
        const page = await api.call("filterFlows", {
          body: { limit: opts.limit, ...(opts.name ? { nameLike: opts.name } : {}) },
        });
        printListing(page, FLOW_COLUMNS, { json: opts.json, noun: "flows" });
      });
    });
}
