import { randomUUID } from "node:crypto";
import { format } from "node:util";
import { LOG_LEVELS, type LogCreate } from "@sluice/contracts";
import { currentScope, type ExecutionScope } from "../context/run-context.js";
import { getSdkSettings } from "../settings/sdk-settings.js";
import { redactSecrets } from "./secret-redaction.js";

/** A logger bound to the current flow or task run. */
export interface RunLogger {
  debug(message: unknown, ...args: unknown[]): void;
  info(message: unknown, ...args: unknown[]): void;
  warning(message: unknown, ...args: unknown[]): void;
  /** Same as `warning`. */
  warn(message: unknown, ...args: unknown[]): void;
  error(message: unknown, ...args: unknown[]): void;
  critical(message: unknown, ...args: unknown[]): void;
  /** Logs at a numeric level (DEBUG 10 ... CRITICAL 50). */
  log(level: number, message: unknown, ...args: unknown[]): void;
}

const LEVEL_NAMES = new Map<number, string>(Object.entries(LOG_LEVELS).map(([name, level]) => [level, name]));

/** The level's name padded for the one-line format, or "LEVEL<n>". */
function levelName(level: number): string {
  return (LEVEL_NAMES.get(level) ?? `LEVEL${level}`).padEnd(8);
}

/** Writes one readable line to stderr: `12:00:01.234 | INFO     | Flow run 'x' - message`. */
export function echoToStderr(level: number, subject: string, message: string): void {
  const time = new Date().toISOString().slice(11, 23);
  process.stderr.write(`${time} | ${levelName(level)} | ${subject}${subject ? " - " : ""}${message}\n`);
}

/** Logs a line for a run scope, scrubbed of loaded secrets: echoed to stderr and queued for POST /api/logs. */
export function logForScope(scope: ExecutionScope | undefined, level: number, text: string): void {
  const threshold = getSdkSettings().logLevel;
  if (level < threshold) return;
  const message = redactSecrets(text);
  if (!scope) {
    echoToStderr(level, "", message);
    return;
  }
  const { flowRun, taskRun } = scope;
  const subject = taskRun ? `Task run '${taskRun.name}'` : `Flow run '${flowRun.runName}'`;
  echoToStderr(level, subject, message);
  const log: LogCreate = {
    id: randomUUID(),
    flowRunId: flowRun.id,
    taskRunId: taskRun?.id ?? null,
    name: taskRun ? "sluice.task_runs" : "sluice.flow_runs",
    level,
    message,
    timestamp: new Date().toISOString(),
  };
  flowRun.session.logs.push(log);
}

function makeLogger(resolveScope: () => ExecutionScope | undefined): RunLogger {
  const at =
    (level: number) =>
    (message: unknown, ...args: unknown[]) =>
      logForScope(resolveScope(), level, format(message, ...args));
  return {
    debug: at(LOG_LEVELS.DEBUG),
    info: at(LOG_LEVELS.INFO),
    warning: at(LOG_LEVELS.WARNING),
    warn: at(LOG_LEVELS.WARNING),
    error: at(LOG_LEVELS.ERROR),
    critical: at(LOG_LEVELS.CRITICAL),
    log: (level, message, ...args) => logForScope(resolveScope(), level, format(message, ...args)),
  };
}

/**
 * The logger of the current flow or task run: lines go to the run's logs (sent in batches off the
 * hot path) and to stderr. Outside a run it only writes to stderr. Level: SLUICE_LOG_LEVEL (default INFO).
 */
export function getRunLogger(): RunLogger {
  const scope = currentScope();
  return makeLogger(() => scope);
}
