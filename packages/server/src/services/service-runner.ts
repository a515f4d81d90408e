import { sql } from "kysely";
import type { AppDeps } from "../app-deps.js";

/**
 * A background service: one pass of work repeated every `intervalMs`. On PostgreSQL a pass runs
 * while a transaction holds the service's advisory lock, so with several server processes on one
 * database each pass runs in one of them only; the others skip it. The pass itself uses the pool
 * (the lock's transaction only guards it). PGlite has one process by construction (its lock file),
 * so passes there take no lock: its single connection would otherwise be held by the guard.
 */
export interface BackgroundService {
  readonly name: string;
  readonly intervalMs: number;
  /** One pass. Reports what it did (logged at debug) or nothing. */
  run(deps: ServiceDeps): Promise<Record<string, unknown> | void>;
}

/** What a service pass gets: the app's dependencies. */
export type ServiceDeps = AppDeps;

/** Running services; `stop` waits for passes in progress. */
export interface RunningServices {
  /** Runs one pass of the named service now (tests and wake-ups); resolves when it is done. */
  runNow(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** A stable 32-bit key for a service's advisory lock (exported for the test that holds one). */
export function serviceLockKey(name: string): number {
  let hash = 0x5e1ce;
  for (const char of `sluice-service:${name}`) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}

/** Starts each service on its interval; a pass never overlaps the previous one of the same service. */
export function startServices(deps: ServiceDeps, services: readonly BackgroundService[]): RunningServices {
  const { logger } = deps;
  let stopped = false;
  const running = new Map<string, Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();

  const pass = async (service: BackgroundService): Promise<void> => {
    const started = performance.now();
    try {
      const report =
        deps.db.kind === "pglite"
          ? ((await service.run(deps)) ?? {})
          : await deps.db.db.transaction().execute(async (trx) => {
              const { rows } = await sql<{ locked: boolean }>`
                select pg_try_advisory_xact_lock(${serviceLockKey(service.name)}) as locked`.execute(trx);
              if (!rows[0]?.locked) return undefined;
              return (await service.run(deps)) ?? {};
            });
      if (report && Object.keys(report).length > 0) {
        logger.debug(`service ${service.name}`, { ...report, ms: Math.round(performance.now() - started) });
      }
    } catch (error) {
      // A failed pass is retried on the next interval; the error is logged, never swallowed.
      if (!stopped) logger.error(`service ${service.name} failed`, { error: String(error) });
    }
  };

  const runOnce = (service: BackgroundService): Promise<void> => {
    const current = running.get(service.name);
    if (current) return current;
    const next = pass(service).finally(() => running.delete(service.name));
    running.set(service.name, next);
    return next;
  };

  const schedule = (service: BackgroundService) => {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      void runOnce(service).finally(() => schedule(service));
    }, service.intervalMs);
    timer.unref();
    timers.add(timer);
  };
  for (const service of services) schedule(service);

  return {
    async runNow(name) {
      const service = services.find((s) => s.name === name);
      if (!service) throw new Error(`no background service named ${name}`);
      await runOnce(service);
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all(running.values());
    },
  };
}
