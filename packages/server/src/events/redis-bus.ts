import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { Logger } from "../logger.js";
import { LocalEventBus, type EventBus, type EventListener } from "./event-bus.js";
import type { ServerEvent } from "./server-events.js";

/** The Redis channel server events travel on, unless a test gives its own. */
export const REDIS_EVENTS_CHANNEL = "sluice:events";

/** Reconnection backoff of both connections: first and largest delay. */
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

interface Envelope {
  /** The publishing process, so it can skip its own events (it delivered them already). */
  readonly origin: string;
  readonly event: ServerEvent;
}

/** Options of RedisEventBus. */
export interface RedisEventBusOptions {
  /** redis:// or rediss:// URL (SLUICE_REDIS_URL); its password is never logged. */
  readonly url: string;
  readonly logger: Logger;
  /** The channel (default REDIS_EVENTS_CHANNEL); servers that share events use the same one. */
  readonly channel?: string | undefined;
}

/**
 * Server events across every server replica that shares one Redis: publish delivers to this
 * process's listeners at once and PUBLISHes the event; a second connection SUBSCRIBEs (a subscribed
 * Redis connection can do nothing else) and delivers what other replicas sent. Both reconnect with
 * backoff and the subscription is renewed on reconnect. Events sent while Redis is away are missed,
 * as with PgNotifyBus: waiting workers fall back on their long-poll timeouts.
 */
export class RedisEventBus implements EventBus {
  private readonly local = new LocalEventBus();
  private readonly origin = randomUUID();
  private readonly channel: string;
  private readonly logger: Logger;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private closed = false;
  /** Per connection: whether it is up, so a drop is logged once rather than on every retry. */
  private readonly up = new Map<Redis, boolean>();

  constructor(options: RedisEventBusOptions) {
    this.channel = options.channel ?? REDIS_EVENTS_CHANNEL;
    this.logger = options.logger;
    const settings = {
      lazyConnect: true,
      // Nothing queues while Redis is away: an event sent then is dropped (see the class comment).
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt: number) =>
        Math.min(RECONNECT_MIN_MS * 2 ** Math.max(0, attempt - 1), RECONNECT_MAX_MS),
    };
    this.publisher = new Redis(options.url, { ...settings, connectionName: "sluice-events-publish" });
    this.subscriber = new Redis(options.url, {
      ...settings,
      // SUBSCRIBE waits for the connection, however long Redis is away.
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      connectionName: "sluice-events-subscribe",
    });
    for (const [connection, role] of [
      [this.publisher, "publish"],
      [this.subscriber, "subscribe"],
    ] as const) {
      this.watch(connection, role);
    }
    this.subscriber.on("message", (channel: string, payload: string) => {
      if (channel === this.channel) this.receive(payload);
    });
  }

  /**
   * Connects both connections and subscribes. A Redis that is not there yet is logged and retried in
   * the background: the server starts anyway and its events stay local until Redis answers.
   */
  async start(): Promise<void> {
    await Promise.all([
      this.publisher.connect().catch(() => undefined),
      this.subscriber.connect().catch(() => undefined),
    ]);
    // Sent once the subscriber is connected (now, or after a retry); ioredis renews it on reconnect.
    const subscribed = this.subscriber.subscribe(this.channel).catch((error: unknown) => {
      if (!this.closed) this.logger.warn("could not subscribe to server events in Redis", describe(error));
    });
    // Connected: events from other replicas arrive from the moment the server listens.
    if (this.up.get(this.subscriber)) await subscribed;
  }

  publish(event: ServerEvent): void {
    this.local.deliver(event);
    const payload = JSON.stringify({ origin: this.origin, event } satisfies Envelope);
    this.publisher.publish(this.channel, payload).catch((error: unknown) => {
      // Other replicas miss this event; their workers fall back on their long-poll timeouts.
      if (!this.closed && this.up.get(this.publisher)) {
        this.logger.warn("could not send a server event through Redis", describe(error));
      }
    });
  }

  subscribe(listener: EventListener): () => void {
    return this.local.subscribe(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      [this.publisher, this.subscriber].map(async (connection) => {
        // QUIT needs a live connection (it would wait for one); otherwise stop reconnecting at once.
        if (connection.status === "ready") await connection.quit().catch(() => undefined);
        connection.disconnect();
      }),
    );
    await this.local.close();
  }

  private watch(connection: Redis, role: string): void {
    connection.on("ready", () => {
      if (this.up.get(connection) === false) this.logger.info("reconnected to Redis", { role });
      this.up.set(connection, true);
    });
    // ioredis reports every failed attempt here; the first one after being up (or at start) is logged.
    connection.on("error", (error: unknown) => {
      if (this.closed || this.up.get(connection) === false) return;
      this.up.set(connection, false);
      this.logger.warn("the Redis connection for server events is down; reconnecting with backoff", {
        role,
        ...describe(error),
      });
    });
    connection.on("close", () => {
      if (this.closed || this.up.get(connection) !== true) return;
      this.up.set(connection, false);
      this.logger.warn("the Redis connection for server events closed; reconnecting with backoff", { role });
    });
  }

  private receive(payload: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload) as Envelope;
    } catch (error) {
      this.logger.warn("ignored a malformed server event from Redis", { error: String(error) });
      return;
    }
    if (envelope.origin === this.origin) return;
    this.local.deliver(envelope.event);
  }
}

/** An error for the log: ioredis messages name host and port, never the URL or its password. */
function describe(error: unknown): { error: string } {
  return { error: error instanceof Error ? error.message : String(error) };
}
