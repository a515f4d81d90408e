import type { Command } from "commander";
import {
  LOG_LEVELS,
  isTerminalStateType,
  type FlowRun,
  type Log,
  type LogLevelName,
} from "@sluice/contracts";
import { UsageError } from "../errors.js";
import { withConnection, type Api } from "../connection.js";
import { formatState, paint, shouldColor, startProgress, type Progress } from "../output.js";
import { requireId } from "../params.js";

/** How often `logs --follow` polls, in milliseconds. */
const FOLLOW_INTERVAL_MS = 1000;

/** Parses `--level`: a level name (DEBUG, INFO, WARNING, ERROR, CRITICAL) or a number. */
export function parseLevel(value: string): number {
  const name = value.toUpperCase() === "WARN" ? "WARNING" : value.toUpperCase();
  if (name in LOG_LEVELS) return LOG_LEVELS[name as LogLevelName];
  const n = Number(value);
  if (Number.isInteger(n) && n >= 0 && n <= 100) return n;
  throw new UsageError(
    `invalid --level "${value}": expected one of ${Object.keys(LOG_LEVELS).join(", ")} or a number 0-100`,
  );
}

/** A level number as its name ("INFO"), or "LEVEL 25" between names. */
export function levelName(level: number): string {
  const found = Object.entries(LOG_LEVELS).find(([, n]) => n === level);
  return found ? found[0] : `LEVEL ${level}`;
}

/** One log line as printed: "2026-01-02 03:04:05.678 INFO     logger - message". */
export function formatLogLine(log: Log, color: boolean): string {
  const time = log.timestamp
    .replace("T", " ")
    .replace(/Z$|[+-]\d\d:\d\d$/, "")
    .slice(0, 23);
  const name = levelName(log.level).padEnd(8);
  const colored =
    log.level >= 40 ? paint(name, "red", color) : log.level >= 30 ? paint(name, "yellow", color) : name;
  return `${time} ${colored} ${log.name} - ${log.message}`;
}

interface LogsOptions {
  follow?: boolean;
  level?: number;
  json?: boolean;
}

/** Reads every log of a run after `after` (all pages), oldest first. */
async function readLogs(api: Api, flowRunId: string, levelMin?: number, after?: string): Promise<Log[]> {
  const logs: Log[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.call("filterLogs", {
      body: {
        flowRunId,
        limit: 1000,
        ...(levelMin !== undefined ? { levelMin } : {}),
        ...(after ? { after } : {}),
        ...(cursor ? { cursor } : {}),
      },
    });
    logs.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return logs;
}

/** Prints logs not seen before; `seen` holds the ids at the newest timestamp so re-reads skip them. */
function printNew(
  logs: readonly Log[],
  seen: Set<string>,
  opts: { json?: boolean | undefined },
  progress?: Progress,
): string | undefined {
  let last: string | undefined;
  const color = shouldColor();
  for (const log of logs) {
    if (seen.has(log.id)) continue;
    seen.add(log.id);
    progress?.clear();
    process.stdout.write((opts.json ? JSON.stringify(log) : formatLogLine(log, color)) + "\n");
    last = log.timestamp;
  }
  return last;
}

/** Options of `followFlowRun`. */
export interface FollowOptions {
  /** Only lines at or above this level. Default: all. */
  level?: number | undefined;
  /** One JSON object per line instead of formatted lines. Default false. */
  json?: boolean | undefined;
  /** Called (and awaited) with the run each time its state changes while following (not for the initial state). */
  onStateChange?: ((run: FlowRun, progress: Progress) => void | Promise<void>) | undefined;
}

/**
 * Prints a run's logs, then keeps printing new lines (polling every second, a spinner on a TTY)
 * until the run is in a terminal state. Returns the run as last read.
 */
export async function followFlowRun(api: Api, initial: FlowRun, opts: FollowOptions): Promise<FlowRun> {
  let run = initial;
  const seen = new Set<string>();
  let after = printNew(await readLogs(api, run.id, opts.level), seen, opts);
  const progress = startProgress(`Following logs of ${run.name}`);
  try {
    let done = run.stateType !== null && isTerminalStateType(run.stateType);
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_INTERVAL_MS));
      const previousStateId = run.state?.id;
      run = await api.call("readFlowRun", { params: { id: run.id } });
      done = run.stateType !== null && isTerminalStateType(run.stateType);
      progress.update(`${run.name}: ${formatState(run.stateType, run.stateName, false)}, ${seen.size} lines`);
      after = printNew(await readLogs(api, run.id, opts.level, after), seen, opts, progress) ?? after;
      if (run.state?.id !== previousStateId) await opts.onStateChange?.(run, progress);
    }
    // A run's last lines (the worker's copy of its output, the engine's final line) can be posted just
    // after its final state: read once more before stopping.
    if (run.id === initial.id && run !== initial) {
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_INTERVAL_MS));
      printNew(await readLogs(api, run.id, opts.level, after), seen, opts, progress);
    }
  } finally {
    progress.stop();
  }
  return run;
}

/** `sluice flow-run logs ID [--follow] [--level L] [--json]`. */
export function registerFlowRunLogsCommand(group: Command): void {
  group
    .command("logs <id>")
    .description("Print a flow run's logs; --follow tails them until the run ends")
    .option("-f, --follow", "keep printing new lines until the run is in a terminal state")
    .option(
      "--level <level>",
      "only lines at or above this level (DEBUG, INFO, WARNING, ERROR, CRITICAL)",
      parseLevel,
    )
    .option("--json", "print one JSON object per line")
    .action(async (rawId: string, opts: LogsOptions) => {
      const id = requireId(rawId, "flow run");
      await withConnection({ allowEmbedded: true }, async ({ api }) => {
        // Reading the run first turns an unknown id into flow_run_not_found.
        let run = await api.call("readFlowRun", { params: { id } });
        if (!opts.follow) {
          printNew(await readLogs(api, id, opts.level), new Set(), opts);
          return;
        }
        run = await followFlowRun(api, run, opts);
        if (!opts.json) {
          process.stderr.write(
            `Flow run ${run.name} ended ${formatState(run.stateType, run.stateName, shouldColor(process.stderr))}.\n`,
          );
        }
      });
    });
}
