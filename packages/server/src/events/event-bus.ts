import type { ServerEvent } from "./server-events.js";

export type { ServerEvent } from "./server-events.js";

/** A listener of server events; it must not throw (errors are the listener's to handle). */
export type EventListener = (event: ServerEvent) => void;

/**
 * Publishes server events to every listener in this process and, where a backend carries them
 * (PostgreSQL LISTEN/NOTIFY, later Redis), to every other server process on the same database.
 */
export interface EventBus {
  /** Delivers `event` to local listeners at once and to other processes through the backend. */
  publish(event: ServerEvent): void;
  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: EventListener): () => void;
  close(): Promise<void>;
}

/** Delivers events to listeners in this process. */
export class LocalEventBus implements EventBus {
  private readonly listeners = new Set<EventListener>();

  publish(event: ServerEvent): void {
    this.deliver(event);
  }

  /** Hands an event to every listener (also used by backends for events from other processes). */
  deliver(event: ServerEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.listeners.clear();
    return Promise.resolve();
  }
}
