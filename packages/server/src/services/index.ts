import { cancellationCleanupService } from "./cancellation-cleanup.js";
import { lateRunsService } from "./late-runs.js";
import { leaseExpiryService } from "./lease-expiry.js";
import { runCountCompactionService } from "./run-count-compaction.js";
import { schedulerService } from "./scheduler.js";
import type { BackgroundService } from "./service-runner.js";
import { createZombieRunsService } from "./zombie-runs.js";

export { startServices, type BackgroundService, type RunningServices } from "./service-runner.js";

/** How the background services run. */
export interface BackgroundServiceOptions {
  /** Seconds without a heartbeat before a RUNNING run is CRASHED (SLUICE_ZOMBIE_WINDOW_SECONDS, 90). */
  readonly zombieWindowSeconds: number;
  /** Interval per service name, overriding each service's own (tests use short ones). */
  readonly intervalMs?: Readonly<Record<string, number>>;
}

/** Every background service of the server, with the intervals asked for. */
export function backgroundServices(options: BackgroundServiceOptions): BackgroundService[] {
  const services: BackgroundService[] = [
    schedulerService,
    lateRunsService,
    // Checked six times per window (at most every 10 s), so a zombie is found within ~1.2 windows.
    createZombieRunsService(
      options.zombieWindowSeconds,
      Math.min(10_000, Math.max(1000, (options.zombieWindowSeconds * 1000) / 6)),
    ),
    cancellationCleanupService,
    leaseExpiryService,
    runCountCompactionService,
  ];
  return services.map((service) => ({
    name: service.name,
    intervalMs: options.intervalMs?.[service.name] ?? service.intervalMs,
    run: (deps) => service.run(deps),
  }));
}
