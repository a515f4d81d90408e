import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import pg from "pg";
import type { Tables } from "../db/tables.js";
import type { Logger } from "../logger.js";
import { LocalEventBus, type EventBus, type EventListener } from "./event-bus.js";
import type { ServerEvent } from "./server-events.js";

/** The PostgreSQL channel server events travel on. */
export const EVENTS_CHANNEL = "sluice_events";

/** Reconnection backoff of the listening connection: first and largest delay. */
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

interface Envelope {
  /** The publishing process, so it can skip its own events (it delivered them already). */
  readonly origin: string;
  readonly event: ServerEvent;
}

/**
 * Server events across every server process on one PostgreSQL database: publish delivers to this
 * process's listeners at once and sends `pg_notify` through the pool; a dedicated connection LISTENs
 * and delivers the events other processes sent. The listening connection reconnects with backoff when
 * it drops; events sent while it was down are missed, so waiting workers fall back on their timeouts.
 */
export class PgNotifyBus implements EventBus {
  private readonly local = new LocalEventBus();
  private readonly origin = randomUUID();
  private client: pg.Client | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private backoffMs = RECONNECT_MIN_MS;

  constructor(
    private readonly url: string,
    private readonly db: Kysely<Tables>,
    private readonly logger: Logger,
  ) {}

  /** Connects the listening connection; a failure is logged and retried in the background. */
  async start(): Promise<void> {
    await this.connect();
  }

  publish(event: ServerEvent): void {
    this.local.deliver(event);
    const payload = JSON.stringify({ origin: this.origin, event } satisfies Envelope);
    sql`select pg_notify(${EVENTS_CHANNEL}, ${payload})`.execute(this.db).catch((error: unknown) => {
      // Other processes miss this event; their workers fall back on their long-poll timeouts.
      if (!this.closed) this.logger.warn("could not send a server event", { error: String(error) });
    });
  }

  subscribe(listener: EventListener): () => void {
    return this.local.subscribe(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch((error: unknown) => {
      this.logger.debug("closing the event connection failed", { error: String(error) });
    });
    await this.local.close();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url });
    client.on("notification", (message) => this.receive(message.payload));
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client, new Error("connection ended")));
    try {
      await client.connect();
      await client.query(`listen ${EVENTS_CHANNEL}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
    this.backoffMs = RECONNECT_MIN_MS;
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.closed || (this.client !== undefined && this.client !== client)) return;
    this.client = undefined;
    client.removeAllListeners("end");
    client.end().catch((endError: unknown) => {
      this.logger.debug("ending a broken event connection failed", { error: String(endError) });
    });
    if (this.retryTimer) return;
    this.logger.warn("the event connection to PostgreSQL dropped; reconnecting", {
      error: String(error),
      retryInMs: this.backoffMs,
    });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, this.backoffMs);
    this.retryTimer.unref();
    this.backoffMs = Math.min(this.backoffMs * 2, RECONNECT_MAX_MS);
  }

  private receive(payload: string | undefined): void {
    if (!payload) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload) as Envelope;
    } catch (error) {
      this.logger.warn("ignored a malformed server event", { error: String(error) });
      return;
    }
    if (envelope.origin === this.origin) return;
    this.local.deliver(envelope.event);
  }
}
