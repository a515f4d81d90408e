import type { Command } from "commander";
import type { WorkQueueUpdate } from "@sluice/contracts";
import { withConnection } from "../connection.js";
import { CliError, UsageError } from "../errors.js";
import { printJson, printLine, shouldColor, formatTable } from "../output.js";
import { confirm } from "../prompt.js";
import { formatStatus, formatWorkQueue, parseWholeNumber, workQueueColumns } from "./work-pool-view.js";

interface PoolOption {
  pool: string;
}

interface UpdateOptions extends PoolOption {
  priority?: number;
  concurrencyLimit?: number;
  clearConcurrencyLimit?: boolean;
  description?: string;
  json?: boolean;
}

function updateBody(opts: UpdateOptions): WorkQueueUpdate {
  if (opts.concurrencyLimit !== undefined && opts.clearConcurrencyLimit) {
    throw new UsageError("pass --concurrency-limit or --clear-concurrency-limit, not both");
  }
  const body: WorkQueueUpdate = {
    ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
    ...(opts.concurrencyLimit !== undefined ? { concurrencyLimit: opts.concurrencyLimit } : {}),
    ...(opts.clearConcurrencyLimit ? { concurrencyLimit: null } : {}),
    ...(opts.description !== undefined ? { description: opts.description } : {}),
  };
  if (Object.keys(body).length === 0) {
    throw new UsageError(
      "nothing to update: pass --priority N, --concurrency-limit N, --clear-concurrency-limit or --description TEXT",
    );
  }
  return body;
}

const POOL_FLAG = ["-p, --pool <pool>", "the work pool the queue belongs to"] as const;

function registerPauseResume(group: Command, paused: boolean): void {
  group
    .command(`${paused ? "pause" : "resume"} <name>`)
    .description(paused ? "Pause a work queue: workers claim none of its runs" : "Resume a paused work queue")
    .requiredOption(...POOL_FLAG)
    .action(async (name: string, opts: PoolOption) => {
      await withConnection({}, async ({ api }) => {
        const queue = await api.call("updateWorkQueue", {
          params: { pool: opts.pool, queue: name },
          body: { paused },
        });
        printLine(
          `Work queue ${queue.workPoolName}/${queue.name} is now ${formatStatus(queue.status, shouldColor())}.`,
        );
      });
    });
}

/** `sluice work-queue create|ls|inspect|update|pause|resume|delete`, each with `--pool`. */
export function registerWorkQueueCommands(program: Command): void {
  const group = program
    .command("work-queue")
    .description("Work queues: a pool's lanes, served by priority (1 first) with their own limits");

  group
    .command("create <name>")
    .description("Create a work queue in a pool")
    .requiredOption(...POOL_FLAG)
    .option(
      "--priority <n>",
      "1 is served first (default: after the pool's other queues)",
      parseWholeNumber("--priority", 1),
    )
    .option(
      "--concurrency-limit <n>",
      "most runs of the queue pending or running at once",
      parseWholeNumber("--concurrency-limit", 0),
    )
    .option("--description <text>", "what the queue is for")
    .option("--paused", "create it paused")
    .option("--json", "print the queue as JSON")
    .action(
      async (
        name: string,
        opts: PoolOption & {
          priority?: number;
          concurrencyLimit?: number;
          description?: string;
          paused?: boolean;
          json?: boolean;
        },
      ) => {
        await withConnection({}, async ({ api }) => {
          const queue = await api.call("createWorkQueue", {
            params: { pool: opts.pool },
            body: {
              name,
              paused: opts.paused === true,
              ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
              ...(opts.concurrencyLimit !== undefined ? { concurrencyLimit: opts.concurrencyLimit } : {}),
              ...(opts.description !== undefined ? { description: opts.description } : {}),
            },
          });
          if (opts.json) return printJson(queue);
          printLine(
            `Created work queue ${queue.name} in pool ${queue.workPoolName} (priority ${queue.priority}).`,
          );
        });
      },
    );

  group
    .command("ls")
    .description("List a pool's work queues by priority")
    .requiredOption(...POOL_FLAG)
    .option("--json", "print JSON")
    .action(async (opts: PoolOption & { json?: boolean }) => {
      await withConnection({ allowEmbedded: true }, async ({ api }) => {
        const { items } = await api.call("listWorkQueues", { params: { pool: opts.pool } });
        if (opts.json) return printJson(items);
        printLine(items.length ? formatTable(items, workQueueColumns(shouldColor())) : "No work queues.");
      });
    });

  group
    .command("inspect <name>")
    .description("Show a work queue")
    .requiredOption(...POOL_FLAG)
    .option("--json", "print JSON")
    .action(async (name: string, opts: PoolOption & { json?: boolean }) => {
      await withConnection({ allowEmbedded: true }, async ({ api }) => {
        const queue = await api.call("readWorkQueue", { params: { pool: opts.pool, queue: name } });
        if (opts.json) return printJson(queue);
        printLine(formatWorkQueue(queue, shouldColor()));
      });
    });

  group
    .command("update <name>")
    .description("Change a work queue's priority, concurrency limit or description")
    .requiredOption(...POOL_FLAG)
    .option("--priority <n>", "1 is served first", parseWholeNumber("--priority", 1))
    .option(
      "--concurrency-limit <n>",
      "most runs pending or running at once",
      parseWholeNumber("--concurrency-limit", 0),
    )
    .option("--clear-concurrency-limit", "remove the concurrency limit")
    .option("--description <text>", "what the queue is for")
    .option("--json", "print the queue as JSON")
    .action(async (name: string, opts: UpdateOptions) => {
      const body = updateBody(opts);
      await withConnection({}, async ({ api }) => {
        const queue = await api.call("updateWorkQueue", { params: { pool: opts.pool, queue: name }, body });
        if (opts.json) return printJson(queue);
        printLine(`Updated work queue ${queue.workPoolName}/${queue.name}.`);
      });
    });

  registerPauseResume(group, true);
  registerPauseResume(group, false);

  group
    .command("delete <name>")
    .description("Delete a work queue (not its pool's default queue)")
    .requiredOption(...POOL_FLAG)
    .option("-y, --yes", "do not ask for confirmation")
    .action(async (name: string, opts: PoolOption & { yes?: boolean }) => {
      await withConnection({}, async ({ api }) => {
        const queue = await api.call("readWorkQueue", { params: { pool: opts.pool, queue: name } });
        if (!opts.yes && !(await confirm(`Delete work queue ${queue.workPoolName}/${queue.name}?`))) {
          throw new CliError("Aborted; nothing deleted.");
        }
        await api.call("deleteWorkQueue", { params: { pool: opts.pool, queue: name } });
        printLine(`Deleted work queue ${queue.workPoolName}/${queue.name}.`);
      });
    });
}
