import type { OpenAPIHono } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import type { Logger } from "../logger.js";
import type { EventBus, ServerEvent } from "./event-bus.js";

/** The path of the live event stream the web UI reads. */
export const EVENTS_PATH = "/api/events";

/** How often an idle stream sends a comment line, so proxies and the browser keep it open. */
export const HEARTBEAT_MS = 15_000;

/**
 * GET /api/events: the server's events (every ServerEvent kind: run states, logs, task runs, workers) as
 * server-sent events, one `event: <kind>` with the event as JSON per change, a `ready` event once
 * subscribed, and a comment heartbeat every `heartbeatMs`. Behind the /api/* auth middleware like
 * every read. The subscription ends when the client goes away or the server closes.
 */
export function mountEventStreamRoute(
  app: OpenAPIHono,
  deps: { events: EventBus; logger: Logger; closing?: AbortSignal | undefined; heartbeatMs?: number },
): void {
  app.get(EVENTS_PATH, (c) => {
    c.header("cache-control", "no-cache");
    c.header("x-accel-buffering", "no");
    return streamSSE(c, async (stream) => {
      const queue: ServerEvent[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = deps.events.subscribe((event) => {
        queue.push(event);
        wake?.();
      });
      // The server's closing signal outlives every stream: its listener goes when the stream ends,
      // or each page that ever connected would leave one behind.
      let onClosing: (() => void) | undefined;
      const done = new Promise<void>((resolve) => {
        stream.onAbort(resolve);
        if (deps.closing?.aborted) resolve();
        onClosing = () => resolve();
        deps.closing?.addEventListener("abort", onClosing, { once: true });
      });
      let finished = false;
      void done.then(() => {
        finished = true;
        wake?.();
      });
      const heartbeatMs = deps.heartbeatMs ?? HEARTBEAT_MS;
      // Waits for the next event, the end of the stream, or the heartbeat interval.
      const nextWake = () =>
        new Promise<"event" | "tick">((resolve) => {
          const timer = setTimeout(() => resolve("tick"), heartbeatMs);
          wake = () => {
            clearTimeout(timer);
            resolve("event");
          };
        });
      try {
        await stream.writeSSE({ event: "ready", data: "{}" });
        while (!finished) {
          const event = queue.shift();
          if (event) {
            await stream.writeSSE({ event: event.kind, data: JSON.stringify(event) });
            continue;
          }
          const woke = await nextWake();
          wake = undefined;
          if (woke === "tick" && !finished) await stream.write(": heartbeat\n\n");
        }
      } catch (error) {
        // Handled here: Hono's own handler would send the error's message to the client. A write
        // after the client left is routine, not a fault.
        if (!stream.aborted) {
          const message = error instanceof Error ? error.message : String(error);
          deps.logger.warn("the event stream failed", { error: message });
        }
      } finally {
        unsubscribe();
        if (onClosing) deps.closing?.removeEventListener("abort", onClosing);
        await stream.close();
      }
    });
  });
}
