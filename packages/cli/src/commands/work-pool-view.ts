import { readFile } from "node:fs/promises";
import { BaseJobTemplate, type WorkPool, type WorkQueue, type Worker } from "@sluice/contracts";
import { CliError, UsageError } from "../errors.js";
import { formatFields, formatTable, formatTime, paint, type Column } from "../output.js";

/** Commander parser for a whole-number option (`--concurrency-limit`, `--priority`) of at least `min`. */
export function parseWholeNumber(flag: string, min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      throw new UsageError(`invalid ${flag} "${value}": expected a whole number of at least ${min}`);
    }
    return n;
  };
}

/** Reads and checks a base job template file (JSON with `variables` and `jobConfiguration`). */
export async function readBaseJobTemplate(file: string): Promise<BaseJobTemplate> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new CliError(`cannot read the base job template ${file}: ${(error as Error).message}`, 1, {
      cause: error,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`the base job template ${file} is not JSON: ${(error as Error).message}`, 1, {
      cause: error,
    });
  }
  const parsed = BaseJobTemplate.safeParse(value);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new CliError(
      `the base job template ${file} is invalid (expected { "variables": {...}, "jobConfiguration": {...} }):\n${lines.join("\n")}`,
    );
  }
  return parsed.data;
}

const STATUS_COLORS = {
  READY: "green",
  NOT_READY: "yellow",
  PAUSED: "gray",
  ONLINE: "green",
  OFFLINE: "red",
} as const;

/** A pool, queue or worker status, coloured on a TTY. */
export function formatStatus(status: keyof typeof STATUS_COLORS, color: boolean): string {
  return paint(status, STATUS_COLORS[status], color);
}

function formatLimit(limit: number | null): string {
  return limit === null ? "-" : String(limit);
}

/** Columns of `work-pool ls`. */
export function workPoolColumns(color: boolean): Column<WorkPool>[] {
  return [
    { header: "name", value: (p) => p.name },
    { header: "type", value: (p) => p.type },
    { header: "status", value: (p) => formatStatus(p.status, color) },
    { header: "concurrency limit", value: (p) => formatLimit(p.concurrencyLimit), alignRight: true },
    { header: "last polled", value: (p) => formatTime(p.lastPolledAt) },
    { header: "description", value: (p) => p.description ?? "", maxWidth: 40 },
  ];
}

/** Columns of `work-queue ls` and of the queues in `work-pool inspect`. */
export function workQueueColumns(color: boolean): Column<WorkQueue>[] {
  return [
    { header: "name", value: (q) => q.name },
    { header: "priority", value: (q) => String(q.priority), alignRight: true },
    { header: "status", value: (q) => formatStatus(q.status, color) },
    { header: "concurrency limit", value: (q) => formatLimit(q.concurrencyLimit), alignRight: true },
    { header: "last polled", value: (q) => formatTime(q.lastPolledAt) },
  ];
}

function workerColumns(color: boolean): Column<Worker>[] {
  return [
    { header: "name", value: (w) => w.name },
    { header: "status", value: (w) => formatStatus(w.status, color) },
    { header: "last heartbeat", value: (w) => formatTime(w.lastHeartbeatAt) },
    { header: "every", value: (w) => `${w.heartbeatIntervalSeconds}s`, alignRight: true },
  ];
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}

/** Human view of a pool with its queues and workers. */
export function formatWorkPool(
  pool: WorkPool,
  queues: readonly WorkQueue[],
  workers: readonly Worker[],
  color: boolean,
): string {
  const fields: [string, string][] = [
    ["Work pool", `${pool.name} (${pool.id})`],
    ["Type", pool.type],
    ["Status", formatStatus(pool.status, color)],
    ["Concurrency limit", pool.concurrencyLimit === null ? "no limit" : String(pool.concurrencyLimit)],
    ["Default queue", pool.defaultQueueName],
    ["Last polled", formatTime(pool.lastPolledAt)],
    ["Description", pool.description ?? "-"],
  ];
  return [
    formatFields(fields),
    "",
    "Queues:",
    indent(queues.length ? formatTable(queues, workQueueColumns(color)) : "(none)"),
    "",
    "Workers:",
    indent(
      workers.length
        ? formatTable(workers, workerColumns(color))
        : "(none yet: start one with `sluice worker start --pool " + pool.name + "`)",
    ),
  ].join("\n");
}

/** Human view of one queue. */
export function formatWorkQueue(queue: WorkQueue, color: boolean): string {
  return formatFields([
    ["Work queue", `${queue.name} (${queue.id})`],
    ["Work pool", queue.workPoolName],
    ["Priority", String(queue.priority)],
    ["Status", formatStatus(queue.status, color)],
    ["Concurrency limit", queue.concurrencyLimit === null ? "no limit" : String(queue.concurrencyLimit)],
    ["Last polled", formatTime(queue.lastPolledAt)],
    ["Description", queue.description ?? "-"],
  ]);
}
