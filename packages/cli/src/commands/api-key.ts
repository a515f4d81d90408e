import type { Command } from "commander";
import { ApiKeyScope, MAX_API_KEY_DAYS, type ApiKey, type ApiKeyCreated } from "@sluice/contracts";
import { withConnection, type Api } from "../connection.js";
import { CliError, UsageError } from "../errors.js";
import { formatTime, printJson, printLine, printNote, formatTable, type Column } from "../output.js";

const API_KEY_COLUMNS: Column<ApiKey>[] = [
  { header: "name", value: (k) => k.name },
  { header: "scope", value: (k) => k.scope },
  { header: "prefix", value: (k) => `${k.prefix}...` },
  { header: "created", value: (k) => formatTime(k.createdAt) },
  { header: "last used", value: (k) => (k.lastUsedAt ? formatTime(k.lastUsedAt) : "never") },
  { header: "expires", value: (k) => (k.expiresAt ? formatTime(k.expiresAt) : "never") },
];

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseScope(value: string): ApiKeyScope {
  const parsed = ApiKeyScope.safeParse(value);
  if (!parsed.success) throw new UsageError(`invalid --scope "${value}": expected read, write or admin`);
  return parsed.data;
}

function parseDays(value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > MAX_API_KEY_DAYS) {
    throw new UsageError(
      `invalid --expires-in-days "${value}": expected a whole number from 1 to ${MAX_API_KEY_DAYS}`,
    );
  }
  return days;
}

/** The key named or identified by `nameOrId`. */
async function findKey(api: Api, nameOrId: string): Promise<ApiKey> {
  const { items } = await api.call("listApiKeys");
  const found = UUID_PATTERN.test(nameOrId)
    ? items.find((k) => k.id === nameOrId.toLowerCase())
    : items.find((k) => k.name === nameOrId);
  if (!found) throw new CliError(`no API key named or with id "${nameOrId}" (see \`sluice api-key ls\`)`);
  return found;
}

function printCreated(created: ApiKeyCreated, firstKey: boolean): void {
  const expiry = created.expiresAt ? `, expires ${formatTime(created.expiresAt)}` : "";
  printNote(`Created API key ${created.name} (scope ${created.scope}${expiry}):`);
  printLine(created.key);
  printNote("Store it now: it is shown only this once (the server keeps only a hash of it).");
  if (firstKey) {
    printNote(
      "This is the first API key, so authentication is now on: every request needs a key. " +
        "Set SLUICE_API_KEY for the CLI, workers and flows.",
    );
  }
}

/** `sluice api-key create|ls|delete`. */
export function registerApiKeyCommands(program: Command): void {
  const apiKey = program
    .command("api-key")
    .description("API keys: who may call the server, and with what scope");
  apiKey
    .command("create <name>")
    .description("Create an API key (printed once); the first key turns authentication on")
    .requiredOption("--scope <scope>", "read, write (includes read) or admin (includes write)", parseScope)
    .option("--expires-in-days <n>", "days until the key stops working (default: never)", parseDays)
    .option("--json", "print the key and its fields as JSON")
    .action(async (name: string, opts: { scope: ApiKeyScope; expiresInDays?: number; json?: boolean }) => {
      await withConnection({}, async ({ api }) => {
        // With no key sent and none listed, the server was open until now.
        const firstKey = !process.env.SLUICE_API_KEY && (await api.call("listApiKeys")).items.length === 0;
        const created = await api.call("createApiKey", {
          body: {
            name,
            scope: opts.scope,
            ...(opts.expiresInDays ? { expiresInDays: opts.expiresInDays } : {}),
          },
        });
        if (opts.json) printJson(created);
        else printCreated(created, firstKey);
      });
    });
  apiKey
    .command("ls")
    .description("List API keys (never the keys themselves)")
    .option("--json", "print JSON")
    .action(async (opts: { json?: boolean }) => {
      await withConnection({ allowEmbedded: true }, async ({ api }) => {
        const { items } = await api.call("listApiKeys");
        if (opts.json) printJson(items);
        else
          printLine(
            items.length === 0
              ? "No API keys: authentication is off unless SLUICE_API_KEY is set on the server."
              : formatTable(items, API_KEY_COLUMNS),
          );
      });
    });
  apiKey
    .command("delete <name-or-id>")
    .description("Revoke an API key; requests with it are refused (within 2 s on other server replicas)")
    .action(async (nameOrId: string) => {
      await withConnection({}, async ({ api }) => {
        const key = await findKey(api, nameOrId);
        await api.call("deleteApiKey", { params: { id: key.id } });
        printLine(`Revoked API key ${key.name}`);
      });
    });
}
