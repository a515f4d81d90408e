import type { Command } from "commander";
import type { SluiceClient } from "@sluice/client";
import type { BlockType } from "@sluice/contracts";
import { withConnection } from "../../connection.js";
import { CliError } from "../../errors.js";
import { importFlowFile } from "../../flow-file.js";
import { printJson, printLine } from "../../output.js";

/**
 * Registers every block type a module exports (made with the SDK's `defineBlockType`). The
 * definitions are sent through the CLI's own connection, so the module needs no server settings.
 */
export async function registerBlockTypesFrom(api: SluiceClient, file: string): Promise<BlockType[]> {
  const module = await importFlowFile(file, "module");
  const { blockTypeUpsert, isBlockKind } = await import("@sluice/sdk");
  const kinds = Object.values(module).filter(isBlockKind);
  if (kinds.length === 0) {
    throw new CliError(`${file} exports no block types; declare one with defineBlockType from @sluice/sdk`);
  }
  const registered: BlockType[] = [];
  for (const { definition } of kinds) {
    registered.push(
      await api.call("upsertBlockType", {
        params: { slug: definition.slug },
        body: blockTypeUpsert(definition),
      }),
    );
  }
  return registered;
}

/** `sluice block register FILE`: registers the custom block types a TypeScript module exports. */
export function registerBlockRegisterCommand(block: Command): void {
  block
    .command("register <file>")
    .description("Register the block types a TypeScript module exports (made with defineBlockType)")
    .option("--json", "print the block types as JSON")
    .action(async (file: string, opts: { json?: boolean }) => {
      await withConnection({}, async ({ api }) => {
        const types = await registerBlockTypesFrom(api, file);
        if (opts.json) return printJson(types);
        for (const type of types) {
          const secrets = type.secretFields.length ? type.secretFields.join(", ") : "none";
          printLine(`Registered block type ${type.slug} (secret fields: ${secrets})`);
        }
      });
    });
}
