import { OpenAPIHono } from "@hono/zod-openapi";
import { serve, type ServerType } from "@hono/node-server";
import { getEventListeners } from "node:events";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../logger.js";
import { startTestServer } from "../testing/start-test-server.js";
import { waitFor } from "../testing/test-http.js";
import { LocalEventBus, type ServerEvent } from "./event-bus.js";
import { mountEventStreamRoute } from "./event-stream-route.js";

/** A bus that counts its listeners, to see that a closed stream unsubscribes. */
class CountingBus extends LocalEventBus {
  subscriberCount = 0;
  override subscribe(listener: (event: ServerEvent) => void): () => void {
    this.subscriberCount += 1;
    const off = super.subscribe(listener);
    return () => {
      this.subscriberCount -= 1;
      off();
    };
  }
}

/** Reads a streamed response until `until` matches the text so far. */
async function readUntil(reader: ReadableStreamDefaultReader<string>, until: RegExp, seen = { text: "" }) {
  while (!until.test(seen.text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended before ${String(until)}; got ${seen.text}`);
    seen.text += value;
  }
  return seen.text;
}

const servers: ServerType[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

describe("GET /api/events", () => {
  it("streams events with heartbeats and unsubscribes when the client leaves", async () => {
    const bus = new CountingBus();
    const app = new OpenAPIHono();
    mountEventStreamRoute(app, { events: bus, logger: createLogger("error"), heartbeatMs: 50 });
    const server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    servers.push(server);
    const { port } = server.address() as AddressInfo;
    const abort = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/api/events`, { signal: abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const seen = { text: "" };
    await readUntil(reader, /event: ready\n/, seen);
    expect(bus.subscriberCount).toBe(1);
    bus.publish({ kind: "work-pool-changed", workPoolName: "pool-a" });
    await readUntil(
      reader,
      /event: work-pool-changed\ndata: \{"kind":"work-pool-changed","workPoolName":"pool-a"\}\n\n/,
      seen,
    );
    await readUntil(reader, /: heartbeat\n\n/, seen);
    abort.abort();
    await waitFor(async () => bus.subscriberCount === 0 || undefined);
    expect(bus.subscriberCount).toBe(0);
  });

  it("needs an API key with read scope when the server requires one, and carries run, task and log events", async () => {
    const server = await startTestServer({ apiKey: "events-test-key-0123456789" });
    try {
      expect((await fetch(`${server.url}/api/events`)).status).toBe(401);
      const abort = new AbortController();
      const headers = { authorization: "Bearer events-test-key-0123456789" };
      const res = await fetch(`${server.url}/api/events`, { headers, signal: abort.signal });
      expect(res.status).toBe(200);
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      const seen = { text: "" };
      await readUntil(reader, /event: ready\n/, seen);
      const created = await fetch(`${server.url}/api/flow-runs`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ flowName: "events-stream", name: "watched" }),
      });
      const run = (await created.json()) as { id: string };
      await readUntil(
        reader,
        new RegExp(`event: flow-run-state\\ndata: \\{[^\\n]*"flowRunId":"${run.id}"`),
        seen,
      );
      const post = (path: string, body: unknown) =>
        fetch(`${server.url}${path}`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      const taskRunId = crypto.randomUUID();
      const taskRun = { id: taskRunId, flowRunId: run.id, taskKey: "t", name: "t-0", dynamicKey: "0" };
      const pending = {
        id: crypto.randomUUID(),
        type: "PENDING",
        name: "Pending",
        timestamp: new Date().toISOString(),
        message: null,
        details: {},
        result: null,
      };
      expect(
        (await post("/api/task-runs/batch", { taskRuns: [taskRun], states: [{ taskRunId, state: pending }] }))
          .status,
      ).toBeLessThan(300);
      await readUntil(reader, new RegExp(`event: task-runs-changed\ndata: [^\n]*"${run.id}"`), seen);
      const log = {
        flowRunId: run.id,
        name: "t",
        level: 20,
        message: "hi",
        timestamp: new Date().toISOString(),
      };
      expect((await post("/api/logs", { logs: [log] })).status).toBe(201);
      await readUntil(reader, new RegExp(`event: logs-written\ndata: [^\n]*"${run.id}"`), seen);
      abort.abort();
    } finally {
      await server.close();
    }
  });

  it("ends open streams when the server closes, so closing does not wait for them", async () => {
    const server = await startTestServer();
    const res = await fetch(`${server.url}/api/events`);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    await readUntil(reader, /event: ready\n/);
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(5000);
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
  });

  it("leaves no listener on the server's closing signal once a stream ends", async () => {
    const closing = new AbortController();
    const bus = new CountingBus();
    const app = new OpenAPIHono();
    mountEventStreamRoute(app, { events: bus, logger: createLogger("error"), closing: closing.signal });
    const server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    servers.push(server);
    const { port } = server.address() as AddressInfo;
    for (let i = 0; i < 12; i++) {
      const abort = new AbortController();
      const res = await fetch(`http://127.0.0.1:${port}/api/events`, { signal: abort.signal });
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      await readUntil(reader, /event: ready\n/);
      expect(getEventListeners(closing.signal, "abort")).toHaveLength(1);
      abort.abort();
      await waitFor(async () => (bus.subscriberCount === 0 ? true : undefined));
    }
    expect(getEventListeners(closing.signal, "abort")).toHaveLength(0);
  });
});
