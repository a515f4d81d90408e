import type { Command } from "commander";
import { LinkData, MarkdownData, ProgressData, TableData, type Artifact } from "@sluice/contracts";
import { UsageError } from "../errors.js";
import { withConnection } from "../connection.js";
import { formatFields, formatTime, printJson, printLine, printListing, type Column } from "../output.js";
import { alignRows, renderMarkdown } from "../markdown.js";
import { parseLimit, requireId } from "../params.js";

const ARTIFACT_COLUMNS: Column<Artifact>[] = [
  { header: "id", value: (a) => a.id },
  { header: "key", value: (a) => a.key ?? "-", maxWidth: 40 },
  { header: "type", value: (a) => a.type },
  { header: "flow run", value: (a) => a.flowRunId ?? "-" },
  { header: "description", value: (a) => a.description ?? "", maxWidth: 40 },
  { header: "created", value: (a) => formatTime(a.createdAt) },
];

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "");
}

/** An artifact's payload as terminal text: markdown rendered, tables aligned, links and progress spelled out. */
export function renderArtifactData(artifact: Pick<Artifact, "type" | "data">): string {
  switch (artifact.type) {
    case "markdown": {
      const data = MarkdownData.safeParse(artifact.data);
      if (data.success) return renderMarkdown(data.data.markdown);
      break;
    }
    case "table": {
      const data = TableData.safeParse(artifact.data);
      if (data.success) {
        const rows = data.data.rows.map((r) => r.map(cellText).map((c) => c.replace(/\s*\n\s*/g, " ")));
        return rows.length === 0 && data.data.columns.length === 0
          ? "(empty table)"
          : alignRows([data.data.columns, ...rows]);
      }
      break;
    }
    case "link": {
      const data = LinkData.safeParse(artifact.data);
      if (data.success) return data.data.text ? `${data.data.text}: ${data.data.url}` : data.data.url;
      break;
    }
    case "progress": {
      const data = ProgressData.safeParse(artifact.data);
      if (data.success) {
        const filled = Math.round(data.data.progress / 5);
        return `[${"#".repeat(filled)}${".".repeat(20 - filled)}] ${data.data.progress}%`;
      }
      break;
    }
  }
  return JSON.stringify(artifact.data, null, 2);
}

/** `sluice artifact ls|inspect`. */
export function registerArtifactCommands(program: Command): void {
  const group = program
    .command("artifact")
    .description("Artifacts: markdown, tables, links and progress from runs");
  group
    .command("ls")
    .description("List artifacts, newest first")
    .option("--key <key>", "only versions of the artifact with this key")
    .option("--flow-run <id>", "only artifacts of this flow run")
    .option("--limit <n>", "most artifacts to show (1-1000)", parseLimit(), 50)
    .option("--json", "print JSON")
    .action(async (opts: { key?: string; flowRun?: string; limit: number; json?: boolean }) => {
      const flowRunId = opts.flowRun === undefined ? undefined : requireId(opts.flowRun, "flow run");
      await withConnection({ allowEmbedded: true }, async ({ api }) => {
        const page = await api.call("filterArtifacts", {
          body: {
            limit: opts.limit,
            ...(opts.key ? { key: opts.key } : {}),
            ...(flowRunId ? { flowRunId } : {}),
          },
        });
        printListing(page, ARTIFACT_COLUMNS, { json: opts.json, noun: "artifacts" });
      });
    });

  group
    .command("inspect [id]")
    .description("Show an artifact by id, or the latest version of --key")
    .option("--key <key>", "the artifact key (shows its latest version)")
    .option("--json", "print JSON")
    .action(async (rawId: string | undefined, opts: { key?: string; json?: boolean }) => {
      if ((rawId === undefined) === (opts.key === undefined)) {
        throw new UsageError("artifact inspect needs an artifact id or --key KEY (one of them)");
      }
      const id = rawId === undefined ? undefined : requireId(rawId, "artifact");
      await withConnection({ allowEmbedded: true }, async ({ api }) => {
        const artifact =
          id !== undefined
            ? await api.call("readArtifact", { params: { id } })
            : await api.call("readLatestArtifact", { params: { key: opts.key ?? "" } });
        if (opts.json) return printJson(artifact);
        const fields: [string, string][] = [
          ["Artifact", artifact.id],
          ["Key", artifact.key ?? "-"],
          ["Type", artifact.type],
          ["Flow run", artifact.flowRunId ?? "-"],
          ["Task run", artifact.taskRunId ?? "-"],
          ["Created", formatTime(artifact.createdAt)],
        ];
        if (artifact.description) fields.push(["Description", artifact.description]);
        printLine(formatFields(fields));
        printLine();
        printLine(renderArtifactData(artifact));
      });
    });
}
