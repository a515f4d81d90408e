import type { Command } from "commander";
import type { Block } from "@sluice/contracts";
import { withConnection } from "../../connection.js";
import { formatFields, formatTime, printJson, printLine, printListing, type Column } from "../../output.js";
import { collect, parseLimit } from "../../params.js";
import { parseBlockRef, readBlockData, type BlockDataOptions } from "./block-input.js";

const BLOCK_COLUMNS: Column<Block>[] = [
  { header: "type", value: (b) => b.blockType },
  { header: "name", value: (b) => b.name },
  { header: "secret fields", value: (b) => b.secretFields.join(",") || "-" },
  { header: "updated", value: (b) => formatTime(b.updatedAt) },
];

/** A block as text: its identity, then its data as JSON (secret fields masked unless asked for). */
export function formatBlock(block: Block): string {
  const fields: [string, string][] = [
    ["block", `${block.blockType}/${block.name}`],
    ["id", block.id],
    ["secret fields", block.secretFields.join(", ") || "-"],
    ["secrets", block.secretsIncluded ? "shown" : "masked (--show-secrets shows them)"],
    ["created", formatTime(block.createdAt)],
    ["updated", formatTime(block.updatedAt)],
  ];
  return `${formatFields(fields)}\ndata:\n${JSON.stringify(block.data, null, 2)}`;
}

/** `sluice block ls|create|inspect|delete`. */
export function registerBlockDocumentCommands(block: Command): void {
  block
    .command("ls")
    .description("List blocks by name (secret fields are never shown)")
    .option("--type <slug>", "only blocks of this type")
    .option("--name <text>", "only blocks whose name contains this text")
    .option("--limit <n>", "most blocks to show (1-1000)", parseLimit(), 200)
    .option("--json", "print JSON")
    .action(async (opts: { type?: string; name?: string; limit: number; json?: boolean }) => {
      await withConnection({ allowEmbedded: true }, async ({ api }) => {
        const page = await api.call("filterBlocks", {
          body: {
            limit: opts.limit,
            ...(opts.type ? { blockType: opts.type } : {}),
            ...(opts.name ? { nameLike: opts.name } : {}),
          },
        });
        printListing(page, BLOCK_COLUMNS, { json: opts.json, noun: "blocks" });
      });
    });

  block
    .command("create <type> <name>")
    .description("Create a block from --data, --data-file or --field path=value (path=@- reads stdin)")
    .option("--data <json>", "the block's data as a JSON object")
    .option("--data-file <file>", "a file holding the data as a JSON object")
    .option(
      "--field <path=value>",
      "set one field (dotted path; JSON when it parses; @- reads stdin)",
      collect,
    )
    .option(
      "--overwrite",
      "replace the data of an existing block (masked secrets sent back keep their value)",
    )
    .option("--json", "print the block as JSON")
    .action(
      async (
        type: string,
        name: string,
        opts: BlockDataOptions & { overwrite?: boolean; json?: boolean },
      ) => {
        const data = await readBlockData(opts);
        await withConnection({}, async ({ api }) => {
          const saved = await api.call("saveBlock", {
            params: { type, name },
            body: { data, overwrite: opts.overwrite ?? false },
          });
          if (opts.json) printJson(saved);
          else printLine(`${opts.overwrite ? "Saved" : "Created"} block ${saved.blockType}/${saved.name}`);
        });
      },
    );

  block
    .command("inspect <type/name>")
    .description("Show a block; secret fields are masked unless --show-secrets")
    .option("--show-secrets", "show secret fields in the clear (needs an admin API key when keys are on)")
    .option("--json", "print JSON")
    .action(async (ref: string, opts: { showSecrets?: boolean; json?: boolean }) => {
      const { type, name } = parseBlockRef(ref);
      await withConnection({ allowEmbedded: true }, async ({ api }) => {
        const found = await api.call("readBlock", {
          params: { type, name },
          query: { includeSecrets: opts.showSecrets ? "true" : "false" },
        });
        if (opts.json) printJson(found);
        else printLine(formatBlock(found));
      });
    });

  block
    .command("delete <type/name>")
    .description("Delete a block")
    .action(async (ref: string) => {
      const { type, name } = parseBlockRef(ref);
      await withConnection({}, async ({ api }) => {
        await api.call("deleteBlock", { params: { type, name } });
        printLine(`Deleted block ${type}/${name}`);
      });
    });
}
