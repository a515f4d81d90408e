/** A counting semaphore: at most `limit` holders at once, waiters served first come, first served. */
export class Limiter {
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  private head = 0;

  constructor(readonly limit: number) {}

  /** Holders right now. */
  get running(): number {
    return this.active;
  }

  /** Takes a slot, waiting if none is free. Returns synchronously-resolved work when a slot is free. */
  acquire(): Promise<void> | undefined {
    if (this.active < this.limit) {
      this.active++;
      return undefined;
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Gives a slot back, handing it straight to the next waiter. */
  release(): void {
    if (this.head < this.waiters.length) {
      const next = this.waiters[this.head]!;
      this.waiters[this.head++] = noop;
      if (this.head > 1024 && this.head * 2 > this.waiters.length) {
        this.waiters.splice(0, this.head);
        this.head = 0;
      }
      next();
      return;
    }
    this.active--;
  }
}

const noop = () => undefined;
