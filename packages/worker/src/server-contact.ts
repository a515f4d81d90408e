import type { WorkerLogger } from "./worker-logger.js";

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The worker's contact with the server: when it last succeeded (for the healthcheck), and an
 * outage logged once when it starts and once when it ends, however many attempts fail between.
 */
export class ServerContact {
  private lastSuccessAt = Date.now();
  private outageSince: number | undefined;

  constructor(
    private readonly logger: WorkerLogger,
    private readonly url: string,
    heartbeatSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    // Three missed heartbeats, as the server counts a worker OFFLINE, and never under 30 s.
    this.healthyWindowMs = Math.max(30_000, 3 * heartbeatSeconds * 1000);
  }

  private readonly healthyWindowMs: number;

  /** A claim or heartbeat succeeded. */
  succeeded(): void {
    this.lastSuccessAt = this.now();
    if (this.outageSince !== undefined) {
      const seconds = ((this.lastSuccessAt - this.outageSince) / 1000).toFixed(1);
      this.logger.info(`reconnected to the server at ${this.url} after ${seconds} s`);
      this.outageSince = undefined;
    }
  }

  /** A claim or heartbeat failed; the first failure of an outage is logged. */
  failed(error: unknown): void {
    if (this.outageSince !== undefined) return;
    this.outageSince = this.now();
    this.logger.warn(
      `lost contact with the server at ${this.url} (${describe(error)}); running flow runs go on, ` +
        "retrying with backoff",
    );
  }

  /** True while the last success is recent. */
  isRecent(): boolean {
    return this.now() - this.lastSuccessAt < this.healthyWindowMs;
  }
}
