import type { Command } from "commander";
import { WorkPoolType, defaultBaseJobTemplate, type WorkPoolUpdate } from "@sluice/contracts";
import { withConnection } from "../connection.js";
import { CliError, UsageError } from "../errors.js";
import { printJson, printLine, printListing, shouldColor } from "../output.js";
import { collect, parseLimit, splitList } from "../params.js";
import { confirm } from "../prompt.js";
import {
  formatStatus,
  formatWorkPool,
  parseWholeNumber,
  readBaseJobTemplate,
  workPoolColumns,
} from "./work-pool-view.js";

/** Commander parser for `--type`. */
function parsePoolType(value: string): WorkPoolType {
  const parsed = WorkPoolType.safeParse(value.toLowerCase());
  if (!parsed.success) {
    throw new UsageError(`invalid --type "${value}": expected one of ${WorkPoolType.options.join(", ")}`);
  }
  return parsed.data;
}

interface CreateOptions {
  type: WorkPoolType;
  baseJobTemplate?: string;
  concurrencyLimit?: number;
  description?: string;
  paused?: boolean;
  json?: boolean;
}

interface UpdateOptions {
  concurrencyLimit?: number;
  clearConcurrencyLimit?: boolean;
  baseJobTemplate?: string;
  description?: string;
  json?: boolean;
}

async function updateBody(opts: UpdateOptions): Promise<WorkPoolUpdate> {
  if (opts.concurrencyLimit !== undefined && opts.clearConcurrencyLimit) {
    throw new UsageError("pass --concurrency-limit or --clear-concurrency-limit, not both");
  }
  const body: WorkPoolUpdate = {
    ...(opts.concurrencyLimit !== undefined ? { concurrencyLimit: opts.concurrencyLimit } : {}),
    ...(opts.clearConcurrencyLimit ? { concurrencyLimit: null } : {}),
    ...(opts.description !== undefined ? { description: opts.description } : {}),
    ...(opts.baseJobTemplate !== undefined
      ? { baseJobTemplate: await readBaseJobTemplate(opts.baseJobTemplate) }
      : {}),
  };
  if (Object.keys(body).length === 0) {
    throw new UsageError(
      "nothing to update: pass --concurrency-limit N, --clear-concurrency-limit, --base-job-template FILE or --description TEXT",
    );
  }
  return body;
}

function registerPauseResume(group: Command, paused: boolean): void {
  group
    .command(`${paused ? "pause" : "resume"} <name>`)
    .description(paused ? "Pause a work pool: its workers claim no runs" : "Resume a paused work pool")
    .action(async (name: string) => {
      await withConnection({}, async ({ api }) => {
        const pool = await api.call("updateWorkPool", { params: { pool: name }, body: { paused } });
        printLine(`Work pool ${pool.name} is now ${formatStatus(pool.status, shouldColor())}.`);
      });
    });
}

/** `sluice work-pool create|ls|inspect|update|pause|resume|delete|get-default-base-job-template`. */
export function registerWorkPoolCommands(program: Command): void {
  const group = program.command("work-pool").description("Work pools: where workers pick up deployment runs");

  group
    .command("create <name>")
    .description("Create a work pool with its default queue")
    .option(
      "-t, --type <type>",
      `infrastructure: ${WorkPoolType.options.join(", ")}`,
      parsePoolType,
      "process",
    )
    .option(
      "--base-job-template <file>",
      "a JSON base job template (default: the type's; see get-default-base-job-template)",
    )
    .option(
      "--concurrency-limit <n>",
      "most runs of the pool pending or running at once",
      parseWholeNumber("--concurrency-limit", 0),
    )
    .option("--description <text>", "what the pool is for")
    .option("--paused", "create it paused")
    .option("--json", "print the pool as JSON")
    .action(async (name: string, opts: CreateOptions) => {
      const baseJobTemplate = opts.baseJobTemplate
        ? await readBaseJobTemplate(opts.baseJobTemplate)
        : undefined;
      await withConnection({}, async ({ api }) => {
        const pool = await api.call("createWorkPool", {
          body: {
            name,
            type: opts.type,
            paused: opts.paused === true,
            ...(baseJobTemplate ? { baseJobTemplate } : {}),
            ...(opts.concurrencyLimit !== undefined ? { concurrencyLimit: opts.concurrencyLimit } : {}),
            ...(opts.description !== undefined ? { description: opts.description } : {}),
          },
        });
        if (opts.json) return printJson(pool);
        printLine(`Created ${pool.type} work pool ${pool.name} with queue ${pool.defaultQueueName}.`);
        printLine(`Start a worker for it: sluice worker start --pool ${pool.name}`);
      });
    });

  group
    .command("ls")
    .description("List work pools")
    .option("-t, --type <type>", "only pools of this type (repeatable)", collect)
    .option("--limit <n>", "most pools to show (1-1000)", parseLimit(), 200)
    .option("--json", "print JSON")
    .action(async (opts: { type?: string[]; limit: number; json?: boolean }) => {
      const types = splitList(opts.type).map(parsePoolType);
      await withConnection({ allowEmbedded: true }, async ({ api }) => {
        const page = await api.call("filterWorkPools", {
          body: { limit: opts.limit, ...(types.length ? { types } : {}) },
        });
        printListing(page, workPoolColumns(shouldColor()), { json: opts.json, noun: "work pools" });
      });
    });

  group
    .command("inspect <name>")
    .description("Show a work pool with its queues and workers and their statuses")
    .option("--json", "print JSON ({ workPool, queues, workers })")
    .action(async (name: string, opts: { json?: boolean }) => {
      await withConnection({ allowEmbedded: true }, async ({ api }) => {
        const workPool = await api.call("readWorkPool", { params: { pool: name } });
        const queues = (await api.call("listWorkQueues", { params: { pool: name } })).items;
        const workers = (await api.call("listWorkers", { params: { pool: name } })).items;
        if (opts.json) return printJson({ workPool, queues, workers });
        printLine(formatWorkPool(workPool, queues, workers, shouldColor()));
      });
    });

  group
    .command("update <name>")
    .description("Change a work pool's concurrency limit, base job template or description")
    .option(
      "--concurrency-limit <n>",
      "most runs pending or running at once",
      parseWholeNumber("--concurrency-limit", 0),
    )
    .option("--clear-concurrency-limit", "remove the concurrency limit")
    .option("--base-job-template <file>", "replace the base job template with this JSON file")
    .option("--description <text>", "what the pool is for")
    .option("--json", "print the pool as JSON")
    .action(async (name: string, opts: UpdateOptions) => {
      const body = await updateBody(opts);
      await withConnection({}, async ({ api }) => {
        const pool = await api.call("updateWorkPool", { params: { pool: name }, body });
        if (opts.json) return printJson(pool);
        const limit = pool.concurrencyLimit === null ? "no limit" : String(pool.concurrencyLimit);
        printLine(`Updated work pool ${pool.name} (concurrency limit: ${limit}).`);
      });
    });

  registerPauseResume(group, true);
  registerPauseResume(group, false);

  group
    .command("delete <name>")
    .description("Delete a work pool with its queues and workers")
    .option("-y, --yes", "do not ask for confirmation")
    .action(async (name: string, opts: { yes?: boolean }) => {
      await withConnection({}, async ({ api }) => {
        // Read first so an unknown name fails with work_pool_not_found before any question.
        const pool = await api.call("readWorkPool", { params: { pool: name } });
        if (!opts.yes && !(await confirm(`Delete work pool ${pool.name} with its queues and workers?`))) {
          throw new CliError("Aborted; nothing deleted.");
        }
        await api.call("deleteWorkPool", { params: { pool: name } });
        printLine(`Deleted work pool ${pool.name}.`);
      });
    });

  group
    .command("get-default-base-job-template")
    .description(
      "Print the default base job template of a pool type as JSON (a starting point for --base-job-template)",
    )
    .requiredOption("-t, --type <type>", `${WorkPoolType.options.join(", ")}`, parsePoolType)
    .action((opts: { type: WorkPoolType }) => {
      printJson(defaultBaseJobTemplate(opts.type));
    });
}
