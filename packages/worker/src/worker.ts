import { hostname } from "node:os";
import { createClient, SluiceApiError, type SluiceClient } from "@sluice/client";
import type { ClaimResponse, WorkPool } from "@sluice/contracts";
import { FlowRunJob } from "./flow-run-job.js";
import type { Launcher } from "./infrastructure/launcher.js";
import { createLauncher } from "./infrastructure/launchers.js";
import { reconnectDelayMs } from "./reconnect-backoff.js";
import { consoleWorkerLogger, type WorkerLogger } from "./worker-logger.js";
import { resolveWorkerOptions, type ResolvedWorkerOptions, type WorkerOptions } from "./worker-options.js";
import { ServerContact } from "./server-contact.js";

/** The pool a worker was started for does not exist (and no type was given to create it). */
export class WorkPoolNotFoundError extends Error {
  override readonly name = "WorkPoolNotFoundError";
}

/** A worker of a work pool: claims its due flow runs and launches them. */
export interface Worker {
  readonly name: string;
  /** Serves the pool until `stop()` (with runOnce: until the runs claimed once have ended). */
  run(): Promise<void>;
  /** Stops claiming; `run()` resolves once the running flow runs have finished. */
  stop(): void;
  /** Passes a signal on to every running flow run's job. */
  forwardSignal(signal: NodeJS.Signals): void;
  /** True while the last successful claim or heartbeat is recent. */
  isHealthy(): boolean;
}

/** How often cancellations are checked while the worker is at its limit and does not claim. */
const FULL_POLL_MS = 2000;
/** A claim answered empty faster than this did not wait: after a few, fall back to polling. */
const QUICK_ANSWER_MS = 500;
const FALLBACK_POLL_MS = 1000;

/** Creates a worker; `run()` starts it. */
export function createWorker(options: WorkerOptions): Worker {
  return new PoolWorker(resolveWorkerOptions(options));
}

class PoolWorker implements Worker {
  readonly name: string;
  private readonly api: SluiceClient;
  /** Claims and heartbeats: no retries of its own (the loop backs off), aborted by stop(). */
  private readonly loopApi: SluiceClient;
  private readonly stopController = new AbortController();
  private readonly logger: WorkerLogger;
  private readonly contact: ServerContact;
  private readonly jobs = new Map<string, FlowRunJob>();
  private stopping = false;
  private wake: () => void = () => undefined;
  private pausedLogged = false;
  private quickEmptyAnswers = 0;
  private launcher: Launcher | undefined;

  constructor(private readonly options: ResolvedWorkerOptions) {
    this.name = options.name;
    this.logger = options.logger ?? consoleWorkerLogger;
    const { apiUrl, apiKey } = options;
    this.api = createClient({ baseUrl: apiUrl, apiKey });
    const stopSignal = this.stopController.signal;
    const abortableFetch: typeof fetch = (input, init) =>
      fetch(input, {
        ...init,
        signal: init?.signal ? AbortSignal.any([init.signal, stopSignal]) : stopSignal,
      });
    this.loopApi = createClient({
      baseUrl: apiUrl,
      apiKey,
      retries: 0,
      timeoutMs: options.claimWaitMs + 15_000,
      fetch: abortableFetch,
    });
    this.contact = new ServerContact(this.logger, this.api.baseUrl, options.heartbeatSeconds);
  }

  isHealthy(): boolean {
    return this.contact.isRecent();
  }

  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.logger.info(
      `stopping: no new flow runs are claimed; waiting for ${this.jobs.size} running flow run(s) to finish`,
    );
    this.stopController.abort(new Error("the worker is stopping"));
    this.launcher?.close?.();
    this.wake();
  }

  forwardSignal(signal: NodeJS.Signals): void {
    for (const job of this.jobs.values()) job.forward(signal);
  }

  async run(): Promise<void> {
    const pool = await this.ensurePool();
    if (!pool) return; // stopped before the server was reached
    const launcher = this.createLauncher(pool);
    this.logger.info(
      `worker '${this.name}' serving ${pool.type} pool '${pool.name}'` +
        (this.options.queues?.length ? ` (queues ${this.options.queues.join(", ")})` : "") +
        (this.options.limit ? `, at most ${this.options.limit} flow run(s) at once` : ""),
    );
    if (pool.paused) {
      this.logger.info(`work pool '${pool.name}' is paused; waiting for it to be resumed`);
      this.pausedLogged = true;
    }
    const stopHeartbeat = this.startHeartbeat();
    try {
      if (this.options.runOnce) await this.claimAndLaunch(launcher, 0, this.options.limit ?? 10);
      else await this.claimLoop(launcher);
      await Promise.all([...this.jobs.values()].map((job) => job.done));
    } finally {
      stopHeartbeat();
      launcher.close?.();
    }
    this.logger.info(`worker '${this.name}' stopped`);
  }

  private createLauncher(pool: WorkPool): Launcher {
    const { launchers, warmStart, runOnce } = this.options;
    const launcher =
      this.options.launcher ??
      createLauncher(pool.type, {
        ...launchers,
        process: {
          ...launchers.process,
          warmStart: warmStart && !runOnce,
          onWarning: (message) => this.logger.warn(message),
        },
      });
    this.launcher = launcher;
    return launcher;
  }

  /** Reads (or creates) the pool, retrying while the server is unreachable; undefined once stopped. */
  private async ensurePool(): Promise<WorkPool | undefined> {
    const { pool: name, createPoolType } = this.options;
    for (let attempt = 1; ; attempt++) {
      try {
        const pool = await this.loopApi.call("readWorkPool", { params: { pool: name } });
        this.contact.succeeded();
        if (createPoolType && pool.type !== createPoolType) {
          this.logger.warn(`work pool '${name}' is a ${pool.type} pool; --type ${createPoolType} is ignored`);
        }
        return pool;
      } catch (error) {
        if (error instanceof SluiceApiError && error.status === 404) return this.createPool(name);
        // A refused key will not get better by retrying: stop with the server's answer.
        if (error instanceof SluiceApiError && (error.status === 401 || error.status === 403)) throw error;
        if (this.stopping) return undefined;
        this.contact.failed(error);
        await this.sleep(reconnectDelayMs(attempt));
        if (this.stopping) return undefined;
      }
    }
  }

  private async createPool(name: string): Promise<WorkPool> {
    const type = this.options.createPoolType;
    if (!type) {
      throw new WorkPoolNotFoundError(
        `work pool '${name}' does not exist: create it (sluice work-pool create ${name} --type process) ` +
          "or start the worker with --type to create it",
      );
    }
    try {
      const pool = await this.api.call("createWorkPool", { body: { name, type } });
      this.logger.info(`created the ${type} work pool '${name}'`);
      return pool;
    } catch (error) {
      // Another worker created it meanwhile.
      if (error instanceof SluiceApiError && error.status === 409) {
        return this.api.call("readWorkPool", { params: { pool: name } });
      }
      throw error;
    }
  }

  private startHeartbeat(): () => void {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const beat = async () => {
      try {
        await this.loopApi.call("workerHeartbeat", {
          params: { pool: this.options.pool },
          body: {
            name: this.name,
            heartbeatIntervalSeconds: this.options.heartbeatSeconds,
            metadata: {
              host: hostname(),
              pid: process.pid,
              version: this.options.version,
              limit: this.options.limit ?? null,
            },
          },
        });
        this.contact.succeeded();
      } catch (error) {
        if (!this.stopController.signal.aborted) this.contact.failed(error);
      }
      if (!stopped) timer = setTimeout(() => void beat(), this.options.heartbeatSeconds * 1000);
    };
    void beat();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  private async claimLoop(launcher: Launcher): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      const free = this.options.limit === undefined ? 10 : this.options.limit - this.jobs.size;
      if (free <= 0) {
        await this.checkCancellations();
        await this.sleep(FULL_POLL_MS);
        continue;
      }
      try {
        const started = Date.now();
        // After a failure, a claim that answers at once tells the worker promptly it is back.
        const waitMs = failures > 0 ? 0 : this.options.claimWaitMs;
        const response = await this.claimAndLaunch(launcher, waitMs, free);
        failures = 0;
        await this.pace(response, Date.now() - started);
      } catch (error) {
        if (this.stopping) break;
        this.contact.failed(error);
        await this.sleep(reconnectDelayMs(++failures));
      }
    }
  }

  /** Claims once, launches what was claimed and stops what is to be cancelled. */
  private async claimAndLaunch(launcher: Launcher, waitMs: number, limit = 10): Promise<ClaimResponse> {
    const response = await this.loopApi.call("claimFlowRuns", {
      params: { pool: this.options.pool },
      body: {
        workerName: this.name,
        ...(this.options.queues?.length ? { queues: this.options.queues } : {}),
        limit: Math.min(limit, 1000),
        prefetchSeconds: this.options.prefetchSeconds,
        waitMs,
        runningFlowRunIds: [...this.jobs.keys()],
      },
    });
    this.contact.succeeded();
    for (const id of response.cancel) this.jobs.get(id)?.cancel();
    for (const claimed of response.runs) {
      const job = new FlowRunJob(claimed, response.workPool, {
        client: this.api,
        launcher,
        apiUrl: this.api.baseUrl,
        apiKey: this.options.apiKey,
        logger: this.logger,
        cancelGraceMs: this.options.cancelGraceSeconds * 1000,
      });
      this.jobs.set(job.id, job);
      void job.done.finally(() => {
        this.jobs.delete(job.id);
        this.wake();
      });
    }
    return response;
  }

  /** Logs a pause once, and waits before the next claim when the server answered at once with nothing. */
  private async pace(response: ClaimResponse, elapsedMs: number): Promise<void> {
    // A paused pool's claim is held like any other: the server answers when the pool changes.
    const { paused } = response.workPool;
    if (paused && !this.pausedLogged) {
      this.logger.info(`work pool '${this.options.pool}' is paused; waiting for it to be resumed`);
    } else if (!paused && this.pausedLogged) {
      this.logger.info(`work pool '${this.options.pool}' resumed`);
    }
    this.pausedLogged = paused;
    // Another worker may have won a run this one was woken for: claim again at once. A server that
    // never holds the request (no long-poll) is polled instead of hammered.
    const quickEmpty =
      response.runs.length === 0 && elapsedMs < QUICK_ANSWER_MS && this.options.claimWaitMs > 0;
    this.quickEmptyAnswers = quickEmpty ? this.quickEmptyAnswers + 1 : 0;
    if (this.quickEmptyAnswers >= 3) await this.sleep(FALLBACK_POLL_MS);
  }

  /** At the limit the worker does not claim, so it asks which of its runs are being cancelled. */
  private async checkCancellations(): Promise<void> {
    const ids = [...this.jobs.keys()];
    if (ids.length === 0) return;
    try {
      const page = await this.loopApi.call("filterFlowRuns", {
        body: { ids: ids.slice(0, 1000), stateTypes: ["CANCELLING"], limit: 1000 },
      });
      for (const run of page.items) this.jobs.get(run.id)?.cancel();
    } catch (error) {
      if (!this.stopping) this.contact.failed(error);
    }
  }

  /** Sleeps, or less when stop() is called or a flow run ends. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = () => undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
