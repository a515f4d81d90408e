import type { Command } from "commander";
import { effectiveSettings } from "../settings.js";
import { formatTable, printJson, printLine } from "../output.js";

/** `sluice config view`. */
export function registerConfigCommands(program: Command): void {
  const group = program.command("config").description("Settings: SLUICE_* environment variables");
  group
    .command("view")
    .description("Show the effective SLUICE_* settings and where each comes from (secrets masked)")
    .option("--show-secrets", "show secret values instead of ********")
    .option("--json", "print JSON")
    .action((opts: { showSecrets?: boolean; json?: boolean }) => {
      const settings = effectiveSettings(process.env, opts.showSecrets === true);
      if (opts.json) return printJson(settings);
      printLine(
        formatTable(settings, [
          { header: "setting", value: (s) => s.name },
          { header: "value", value: (s) => s.value, maxWidth: 80 },
          { header: "source", value: (s) => s.source },
        ]),
      );
    });
}
