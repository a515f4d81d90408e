import type { Command } from "commander";
import type { Variable } from "@sluice/contracts";
import { withConnection } from "../connection.js";
import { UsageError } from "../errors.js";
import { formatTime, printJson, printLine, printListing, type Column } from "../output.js";
import { collect, parseLimit, splitList } from "../params.js";

const VARIABLE_COLUMNS: Column<Variable>[] = [
  { header: "name", value: (v) => v.name },
  { header: "value", value: (v) => preview(JSON.stringify(v.value)) },
  { header: "tags", value: (v) => v.tags.join(",") },
  { header: "updated", value: (v) => formatTime(v.updatedAt) },
];

function preview(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A value as typed: JSON when it parses (`42`, `true`, `{"a":1}`, `"quoted"`), else the plain text. */
export function parseVariableValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON: the text itself is the value, so `sluice variable set region us-east-1` works.
    return text;
  }
}

/** `sluice variable ls|get|set|unset`. */
export function registerVariableCommands(program: Command): void {
  const variable = program.command("variable").description("Variables: named JSON values flows read");
  variable
    .command("ls")
    .description("List variables by name")
    .option("--name <text>", "only variables whose name contains this text")
    .option("--tag <tag>", "only variables with this tag (repeatable)", collect)
    .option("--limit <n>", "most variables to show (1-1000)", parseLimit(), 200)
    .option("--json", "print JSON")
    .action(async (opts: { name?: string; tag?: string[]; limit: number; json?: boolean }) => {
      const tags = splitList(opts.tag);
      await withConnection({ allowEmbedded: true }, async ({ api }) => {
        const page = await api.call("filterVariables", {
          body: {
            limit: opts.limit,
            ...(opts.name ? { nameLike: opts.name } : {}),
            ...(tags ? { tags } : {}),
          },
        });
        printListing(page, VARIABLE_COLUMNS, { json: opts.json, noun: "variables" });
      });
    });
  variable
    .command("get <name>")
    .description("Print a variable's value as JSON")
    .option("--json", "print the whole variable as JSON")
    .action(async (name: string, opts: { json?: boolean }) => {
      await withConnection({ allowEmbedded: true }, async ({ api }) => {
        const found = await api.call("readVariable", { params: { name } });
        if (opts.json) printJson(found);
        else printLine(JSON.stringify(found.value));
      });
    });
  variable
    .command("set <name> <value>")
    .description("Set a variable (the value is JSON when it parses, else text); creates it when missing")
    .option("--tag <tag>", "tags, replacing the old ones (repeatable)", collect)
    .option("--json", "print the variable as JSON")
    .action(async (name: string, value: string, opts: { tag?: string[]; json?: boolean }) => {
      const tags = splitList(opts.tag);
      await withConnection({}, async ({ api }) => {
        const saved = await api.call("setVariable", {
          params: { name },
          body: { value: parseVariableValue(value), ...(tags.length > 0 ? { tags } : {}) },
        });
        if (opts.json) printJson(saved);
        else printLine(`Set variable ${saved.name} = ${preview(JSON.stringify(saved.value))}`);
      });
    });
  variable
    .command("unset <name>")
    .description("Delete a variable")
    .option("--missing-ok", "succeed when there is no such variable")
    .action(async (name: string, opts: { missingOk?: boolean }) => {
      if (name.length === 0) throw new UsageError("a variable name is required");
      await withConnection({}, async ({ api }) => {
        try {
          await api.call("deleteVariable", { params: { name } });
          printLine(`Unset variable ${name}`);
        } catch (error) {
          if (opts.missingOk && (error as { code?: unknown }).code === "variable_not_found") {
            printLine(`No variable ${name}; nothing to unset`);
            return;
          }
          throw error;
        }
      });
    });
}
