import type { Command } from "commander";
import { registerBlockDocumentCommands } from "./block-commands.js";
import { registerBlockTypeCommands } from "./block-type-commands.js";
import { registerBlockRegisterCommand } from "./register.js";
import { registerRotateKeyCommand } from "./rotate-key.js";

/**
 * `sluice block ls|create|inspect|delete`, `sluice block type ls|inspect`, `sluice block register`,
 * `sluice block rotate-key`.
 */
export function registerBlockCommands(program: Command): Command {
  const block = program
    .command("block")
    .description("Blocks: typed, named configuration and credentials, stored encrypted");
  registerBlockDocumentCommands(block);
  registerBlockTypeCommands(block);
  registerBlockRegisterCommand(block);
  registerRotateKeyCommand(block);
  return block;
}
