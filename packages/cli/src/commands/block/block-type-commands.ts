import type { Command } from "commander";
import type { BlockType } from "@sluice/contracts";
import { withConnection } from "../../connection.js";
import { formatFields, formatTable, formatTime, printJson, printLine, type Column } from "../../output.js";

const TYPE_COLUMNS: Column<BlockType>[] = [
  { header: "slug", value: (t) => t.slug },
  { header: "name", value: (t) => t.name },
  { header: "built in", value: (t) => (t.builtIn ? "yes" : "no") },
  { header: "secret fields", value: (t) => t.secretFields.join(",") || "-" },
];

/** A block type as text: its fields, then its JSON schema. */
export function formatBlockType(type: BlockType): string {
  const fields: [string, string][] = [
    ["slug", type.slug],
    ["name", type.name],
    ["description", type.description || "-"],
    ["built in", type.builtIn ? "yes" : "no"],
    ["secret fields", type.secretFields.join(", ") || "-"],
    ["updated", formatTime(type.updatedAt)],
  ];
  return `${formatFields(fields)}\nschema:\n${JSON.stringify(type.schema, null, 2)}`;
}

/** `sluice block type ls|inspect`. */
export function registerBlockTypeCommands(block: Command): void {
  const type = block.command("type").description("Block types: the kinds of block and their schemas");
  type
    .command("ls")
    .description("List block types")
    .option("--json", "print JSON")
    .action(async (opts: { json?: boolean }) => {
      await withConnection({ allowEmbedded: true }, async ({ api }) => {
        const { items } = await api.call("listBlockTypes", {});
        if (opts.json) printJson(items);
        else printLine(items.length === 0 ? "No block types." : formatTable(items, TYPE_COLUMNS));
      });
    });
  type
    .command("inspect <slug>")
    .description("Show a block type and its JSON schema")
    .option("--json", "print JSON")
    .action(async (slug: string, opts: { json?: boolean }) => {
      await withConnection({ allowEmbedded: true }, async ({ api }) => {
        const found = await api.call("readBlockType", { params: { slug } });
        if (opts.json) printJson(found);
        else printLine(formatBlockType(found));
      });
    });
}
