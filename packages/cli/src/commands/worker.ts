import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import type { WorkPoolType } from "@sluice/contracts";
import { cliVersion } from "../cli-version.js";
import { apiUrl } from "../connection.js";
import { CliError, UsageError } from "../errors.js";
import { collect, splitList } from "../params.js";

interface WorkerStartOptions {
  pool: string;
  type?: string;
  name?: string;
  queue?: string[];
  limit?: number;
  withHealthcheck?: boolean;
  healthcheckPort: number;
  runOnce?: boolean;
  prefetchSeconds: number;
  cancelGraceSeconds: number;
  warmStart: boolean;
}

const POOL_TYPES = ["process", "docker", "kubernetes"] as const;

/**
 * The argv that executes a flow run with this very CLI: the same node and flags (such as the
 * TypeScript loader in development) running the CLI's lean `flow-run execute` entry, which skips
 * loading every other command. Debugger flags are left out, so runs do not fight over a port.
 */
export function flowRunCommandOfThisCli(): string[] {
  const source = import.meta.url.endsWith(".ts");
  const entry = fileURLToPath(new URL(`../flow-run-execute-main.${source ? "ts" : "js"}`, import.meta.url));
  const flags = process.execArgv.filter((flag) => !/^--inspect|^--debug/.test(flag));
  return [process.execPath, ...flags, entry];
}

function numberOption(name: string, min: number, integer = false): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
      throw new UsageError(
        `invalid ${name} "${value}": expected a ${integer ? "whole " : ""}number of at least ${min}`,
      );
    }
    return n;
  };
}

function parsePoolType(value: string): WorkPoolType {
  if (!(POOL_TYPES as readonly string[]).includes(value)) {
    throw new UsageError(`invalid --type "${value}": expected one of ${POOL_TYPES.join(", ")}`);
  }
  return value as WorkPoolType;
}

/** `sluice worker start`. */
export function registerWorkerCommands(program: Command): void {
  const group = program.command("worker").description("Workers: run a work pool's flow runs");
  group
    .command("start")
    .description("Start a worker: claim the pool's due flow runs and launch them until stopped (Ctrl-C)")
    .requiredOption("-p, --pool <name>", "the work pool to serve")
    .option(
      "-t, --type <type>",
      "create the pool with this type when it does not exist (process|docker|kubernetes)",
    )
    .option("-n, --name <name>", "the worker's name (default: <host>-<pid>)")
    .option("-q, --queue <name>", "serve only this queue (repeatable; default: all of the pool's)", collect)
    .option("-l, --limit <n>", "most flow runs at once (default: no limit)", numberOption("--limit", 1, true))
    .option("--with-healthcheck", "serve GET /health (200 while the worker reaches the server)")
    .option(
      "--healthcheck-port <port>",
      "port of the healthcheck",
      numberOption("--healthcheck-port", 0, true),
      8080,
    )
    .option("--run-once", "claim the flow runs due now, run them to the end, and exit")
    .option(
      "--prefetch-seconds <s>",
      "also claim runs due within this many seconds",
      numberOption("--prefetch-seconds", 0),
      10,
    )
    .option(
      "--cancel-grace-seconds <s>",
      "seconds between SIGTERM and SIGKILL when a run is cancelled",
      numberOption("--cancel-grace-seconds", 0),
      10,
    )
    .option(
      "--no-warm-start",
      "start every flow run's process when it is claimed (default: process pools keep one started and waiting)",
    )
    .action(async (opts: WorkerStartOptions) => {
      const { createWorker, startHealthcheck, WorkPoolNotFoundError } = await import("@sluice/worker");
      const worker = createWorker({
        apiUrl: apiUrl(),
        apiKey: process.env.SLUICE_API_KEY || undefined,
        pool: opts.pool,
        createPoolType: opts.type === undefined ? undefined : parsePoolType(opts.type),
        name: opts.name,
        queues: splitList(opts.queue),
        limit: opts.limit,
        runOnce: opts.runOnce ?? false,
        prefetchSeconds: opts.prefetchSeconds,
        cancelGraceSeconds: opts.cancelGraceSeconds,
        warmStart: opts.warmStart,
        launchers: { process: { flowRunCommand: flowRunCommandOfThisCli() } },
        version: cliVersion(),
      });
      const healthcheck = opts.withHealthcheck
        ? await startHealthcheck({ port: opts.healthcheckPort, isHealthy: () => worker.isHealthy() })
        : undefined;
      if (healthcheck) process.stderr.write(`Healthcheck at ${healthcheck.url}\n`);
      // First signal: stop claiming and let running flow runs finish. Second: pass it on to them.
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        if (signals++ === 0) worker.stop();
        else worker.forwardSignal(signal);
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
      try {
        await worker.run();
      } catch (error) {
        if (error instanceof WorkPoolNotFoundError) throw new CliError(error.message);
        throw error;
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        await healthcheck?.close();
      }
    });
}
