/** Options of a BackgroundBatcher. */
export interface BatcherOptions<T> {
  /** Sends one batch; must be idempotent, since a failed batch is sent again. */
  send: (items: T[]) => Promise<void>;
  /** Queue length that triggers a send at once (default 1000). */
  sendAtItems?: number;
  /** Most items in one request (default 10000). */
  maxBatchItems?: number;
  /** Longest time an item waits in the queue before a send, in ms (default 50). */
  intervalMs?: number;
  /** Failed sends in a row after which `flush()` gives up and throws (default 4). */
  flushAttempts?: number;
  /** Called when a background send fails (it will be retried unless the error is permanent). */
  onSendError?: (error: unknown) => void;
  /**
   * True for errors that sending again cannot fix (the server refused the batch as invalid). Such a
   * batch is taken out of the queue so later batches can go, and the next `flush()` throws for it.
   */
  isPermanent?: (error: unknown) => boolean;
}

/** `flush()` could not send everything; the items stay queued and are sent again later. */
export class FlushError extends Error {
  override readonly name = "FlushError";
  constructor(
    readonly unsent: number,
    cause: unknown,
  ) {
    super(`could not send ${unsent} queued item(s) to the Sluice API: ${String(cause)}`, { cause });
  }
}

/**
 * Queues items in memory and sends them in batches, by size or every `intervalMs`, one request in
 * flight at a time so order is kept. A failed batch goes back to the head of the queue and is retried
 * with backoff; nothing is dropped. `flush()` sends everything queued so far.
 */
export class BackgroundBatcher<T> {
  private queue: T[] = [];
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private lastError: unknown;
  private refused: { count: number; error: unknown } | undefined;
  private readonly sendAtItems: number;
  private readonly maxBatchItems: number;
  private readonly intervalMs: number;
  private readonly flushAttempts: number;

  constructor(private readonly options: BatcherOptions<T>) {
    this.sendAtItems = options.sendAtItems ?? 1000;
    this.maxBatchItems = options.maxBatchItems ?? 10_000;
    this.intervalMs = options.intervalMs ?? 50;
    this.flushAttempts = options.flushAttempts ?? 4;
  }

  /** Items waiting to be sent (including a batch in flight). */
  get pending(): number {
    return this.queue.length;
  }

  /** Queues an item; never blocks. */
  push(item: T): void {
    this.queue.push(item);
    if (this.inFlight) return;
    if (this.queue.length >= this.sendAtItems) this.start();
    else this.timer ??= setTimeout(() => this.start(), this.intervalMs).unref();
  }

  /**
   * Sends everything queued; throws FlushError after `flushAttempts` failed sends in a row, or when
   * the server refused a batch since the last flush.
   */
  async flush(): Promise<void> {
    let attempts = 0;
    for (;;) {
      if (this.inFlight) await this.inFlight;
      if (this.queue.length === 0) {
        const refused = this.refused;
        this.refused = undefined;
        if (refused) throw new FlushError(refused.count, refused.error);
        return;
      }
      if (attempts > 0 && this.failures > 0) {
        if (attempts >= this.flushAttempts) throw new FlushError(this.queue.length, this.lastError);
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * 2 ** attempts)));
      }
      attempts++;
      this.start();
    }
  }

  /** Stops the timer; queued items stay queued. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private start(): void {
    this.stop();
    if (this.inFlight || this.queue.length === 0) return;
    this.inFlight = this.drain().finally(() => {
      this.inFlight = undefined;
      if (this.queue.length > 0 && this.failures === 0) this.start();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch =
        this.queue.length <= this.maxBatchItems ? this.queue : this.queue.slice(0, this.maxBatchItems);
      this.queue = batch === this.queue ? [] : this.queue.slice(this.maxBatchItems);
      try {
        await this.options.send(batch);
        this.failures = 0;
      } catch (error) {
        this.options.onSendError?.(error);
        if (this.options.isPermanent?.(error)) {
          this.refused = { count: (this.refused?.count ?? 0) + batch.length, error };
          continue;
        }
        // Put the batch back in front; the send is idempotent, so sending it again is safe.
        this.queue = batch.concat(this.queue);
        this.failures++;
        this.lastError = error;
        const delay = Math.min(30_000, 500 * 2 ** (this.failures - 1));
        this.timer = setTimeout(() => this.start(), delay).unref();
        return;
      }
    }
  }
}
