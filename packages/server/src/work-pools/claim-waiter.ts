import { isTerminalStateType } from "@sluice/contracts";
import type { Clock } from "../clock.js";
import type { EventBus, ServerEvent } from "../events/event-bus.js";

/** Whom a held claim waits for. */
export interface ClaimWatch {
  readonly poolName: string;
  readonly workerId: string;
  /** Runs the worker executes: their cancellation answers the claim at once. */
  readonly runningIds: ReadonlySet<string>;
  /** A run is claimable this long before it is due. */
  readonly prefetchMs: number;
  readonly clock: Clock;
}

/**
 * Holds a worker's claim until something may have made a run claimable: a run of the pool became
 * SCHEDULED and due (or will be due within the wait: a timer), a run of the pool ended (a pool or
 * queue slot freed), a deployment slot was released, the pool or a queue changed, or a run of this
 * worker is to be cancelled. Subscribed before the first claim, so an event that lands while a claim
 * runs is not lost: the next wait returns at once.
 */
export class ClaimWaiter {
  private woken = false;
  private poolChanged = false;
  /** Clock time at which a known run enters the prefetch window. */
  private dueAt: number | undefined;
  private wake: (() => void) | undefined;
  private rearm: (() => void) | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    events: EventBus,
    private readonly watch: ClaimWatch,
  ) {
    this.unsubscribe = events.subscribe((event) => this.onEvent(event));
  }

  /** Forgets what woke the last wait; called right before each claim. */
  reset(): void {
    this.woken = false;
    this.dueAt = undefined;
  }

  /** Whether the pool or its queues changed since last asked (then they are read again). */
  takePoolChanged(): boolean {
    const changed = this.poolChanged;
    this.poolChanged = false;
    return changed;
  }

  /** Also wakes when a run due at `time` enters the prefetch window. */
  wakeWhenDue(time: Date): void {
    this.noteDue(time.getTime() - this.watch.prefetchMs);
  }

  /** Resolves on a relevant event, when a known run falls due, after `maxMs`, or on any abort. */
  wait(maxMs: number, signals: readonly (AbortSignal | undefined)[]): Promise<void> {
    if (this.woken) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const deadline = Date.now() + maxMs;
      let timer: NodeJS.Timeout | undefined;
      const finish = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.rearm = undefined;
        for (const signal of signals) signal?.removeEventListener("abort", finish);
        resolve();
      };
      const arm = () => {
        clearTimeout(timer);
        const dueIn = this.dueAt === undefined ? Infinity : this.dueAt - this.watch.clock.now().getTime();
        timer = setTimeout(finish, Math.max(0, Math.min(deadline - Date.now(), dueIn)));
      };
      this.wake = finish;
      this.rearm = arm;
      for (const signal of signals) {
        if (signal?.aborted) return finish();
        signal?.addEventListener("abort", finish, { once: true });
      }
      arm();
    });
  }

  /** Stops listening (the request ended). */
  close(): void {
    this.unsubscribe();
    this.wake?.();
  }

  private noteDue(at: number): void {
    if (at <= this.watch.clock.now().getTime()) return this.signal();
    if (this.dueAt === undefined || at < this.dueAt) {
      this.dueAt = at;
      this.rearm?.();
    }
  }

  private signal(): void {
    this.woken = true;
    this.wake?.();
  }

  private onEvent(event: ServerEvent): void {
    const { poolName, workerId, runningIds } = this.watch;
    switch (event.kind) {
      case "work-pool-changed":
        if (event.workPoolName !== poolName) return;
        this.poolChanged = true;
        return this.signal();
      case "slot-released":
        return this.signal();
      case "flow-run-state":
        if (event.stateType === "CANCELLING") {
          if (event.workerId === workerId || runningIds.has(event.flowRunId)) this.signal();
          return;
        }
        if (event.workPoolName !== poolName) return;
        if (event.stateType === "SCHEDULED") {
          const due = Date.parse(event.scheduledTime ?? "");
          return Number.isNaN(due) ? this.signal() : this.noteDue(due - this.watch.prefetchMs);
        }
        // A run of the pool ended: a pool or queue slot is free.
        if (isTerminalStateType(event.stateType)) this.signal();
    }
  }
}
