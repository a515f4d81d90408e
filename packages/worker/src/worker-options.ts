import { hostname } from "node:os";
import type { WorkPoolType } from "@sluice/contracts";
import type { Launcher } from "./infrastructure/launcher.js";
import type { LauncherOptions } from "./infrastructure/launchers.js";
import type { WorkerLogger } from "./worker-logger.js";

/** Options of createWorker. */
export interface WorkerOptions {
  /** The server root, e.g. "http://127.0.0.1:4200"; also given to flow runs as SLUICE_API_URL. */
  apiUrl: string;
  /** Sent as a bearer token (default: none). */
  apiKey?: string | undefined;
  /** The work pool to serve. */
  pool: string;
  /** Create the pool with this type when it does not exist (default: a missing pool is an error). */
  createPoolType?: WorkPoolType | undefined;
  /** The worker's name (default `<host>-<pid>`). */
  name?: string | undefined;
  /** Queues to serve (default: all of the pool's). */
  queues?: string[] | undefined;
  /** Most flow runs at once (default: no limit). */
  limit?: number | undefined;
  /** Claim runs due within this many seconds (default 10). */
  prefetchSeconds?: number | undefined;
  /** Claim what is due once, run it to the end, and stop (default false). */
  runOnce?: boolean | undefined;
  /** Seconds between heartbeats (default 10). */
  heartbeatSeconds?: number | undefined;
  /** How long the server may hold a claim when nothing is due, in milliseconds (default 20000). */
  claimWaitMs?: number | undefined;
  /** Seconds between SIGTERM and SIGKILL when a run is cancelled (default 10). */
  cancelGraceSeconds?: number | undefined;
  /**
   * Process pools: keep one flow-run process started and waiting, and hand it the next run that uses
   * the default command, which saves starting node and loading the CLI (default true; never with
   * runOnce, which claims once).
   */
  warmStart?: boolean | undefined;
  /** How each pool type launches jobs; `process.flowRunCommand` is the CLI's own entry. */
  launchers: LauncherOptions;
  /** A launcher to use instead of the pool type's (tests of other infrastructure). */
  launcher?: Launcher | undefined;
  /** Where the worker writes (default: stderr, run output to stdout/stderr). */
  logger?: WorkerLogger | undefined;
  /** Shown in the worker's heartbeat metadata (default "0.0.0"). */
  version?: string | undefined;
}

/** The options with their defaults applied. */
export type ResolvedWorkerOptions = Required<
  Pick<
    WorkerOptions,
    | "name"
    | "prefetchSeconds"
    | "runOnce"
    | "heartbeatSeconds"
    | "claimWaitMs"
    | "cancelGraceSeconds"
    | "warmStart"
    | "version"
  >
> &
  WorkerOptions;

/** A worker name from the host name and pid, fitted to the names the API accepts. */
export function defaultWorkerName(host = hostname(), pid = process.pid): string {
  const base = host
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 80);
  return `${base || "worker"}-${pid}`;
}

/** Applies the defaults. */
export function resolveWorkerOptions(options: WorkerOptions): ResolvedWorkerOptions {
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) {
    throw new Error(`invalid limit ${options.limit}: expected a whole number of at least 1`);
  }
  return {
    ...options,
    name: options.name ?? defaultWorkerName(),
    prefetchSeconds: options.prefetchSeconds ?? 10,
    runOnce: options.runOnce ?? false,
    heartbeatSeconds: options.heartbeatSeconds ?? 10,
    claimWaitMs: options.claimWaitMs ?? 20_000,
    cancelGraceSeconds: options.cancelGraceSeconds ?? 10,
    warmStart: options.warmStart ?? true,
    version: options.version ?? "0.0.0",
  };
}
