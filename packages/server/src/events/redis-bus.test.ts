import type { ClaimResponse, FlowRun } from "@sluice/contracts";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../db/database.js";
import { migrateDatabase } from "../db/migrate.js";
import { createLogger } from "../logger.js";
import { startServer } from "../server.js";
import { startRedisProcess, type RedisProcess } from "../testing/redis-process.js";
import { TEST_ENCRYPTION_KEY } from "../testing/start-test-server.js";
import { testHttp, waitFor } from "../testing/test-http.js";
import type { ServerEvent } from "./event-bus.js";
import { RedisEventBus } from "./redis-bus.js";

/** The machine's Redis; each test run uses channels of its own on it. */
const REDIS_URL = process.env.SLUICE_TEST_REDIS_URL || "redis://127.0.0.1:6379";
const postgresUrl = process.env.SLUICE_TEST_DATABASE_URL || undefined;
const RUN = randomUUID().slice(0, 8);
const quiet = createLogger("silent");

/**
 * Two server replicas on one database (PostgreSQL: separate connection pools, as two processes have;
 * PGlite: one in-memory database handed to both) whose only link for events is Redis.
 */
async function startReplicas(redisUrl: string, channel: string) {
  const shared = await openDatabase({ databaseUrl: postgresUrl, pgliteDataDir: "memory", maxConnections: 4 });
  await migrateDatabase(shared);
  const start = () =>
    startServer({
      host: "127.0.0.1",
      port: 0,
      ...(postgresUrl ? { databaseUrl: postgresUrl } : { database: shared }),
      redisUrl,
      redisChannel: channel,
      encryptionKey: TEST_ENCRYPTION_KEY,
      migrateOnStart: false,
      logLevel: "silent",
      services: false,
    });
  const [a, b] = await Promise.all([start(), start()]);
  return {
    a,
    b,
    db: shared,
    close: async () => {
      await Promise.all([a?.close(), b?.close()]);
      await shared.close();
    },
  };
}

/** An open GET /api/events stream, read in the background: `has` looks at what arrived, `until` waits. */
async function openStream(url: string) {
  const abort = new AbortController();
  const response = await fetch(`${url}/api/events`, { signal: abort.signal });
  expect(response.status).toBe(200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += value;
    }
  })().catch((error: unknown) => {
    // Closing the stream aborts the read; anything else is a failure of the test.
    if (!abort.signal.aborted) throw error;
  });
  const has = (pattern: RegExp) => pattern.test(text);
  const until = (pattern: RegExp) =>
    waitFor(async () => has(pattern) || undefined, 20_000).catch(() => {
      throw new Error(`the stream never carried ${String(pattern)}; got ${text}`);
    });
  await until(/event: ready\n/);
  return {
    has,
    until,
    close: async () => {
      abort.abort();
      await pump;
    },
  };
}

describe("RedisEventBus", () => {
  it("carries events between buses on one channel and skips its own", async () => {
    const channel = `sluice-test:${RUN}:bus`;
    const first = new RedisEventBus({ url: REDIS_URL, channel, logger: quiet });
    const second = new RedisEventBus({ url: REDIS_URL, channel, logger: quiet });
    await Promise.all([first.start(), second.start()]);
    try {
      const atFirst: ServerEvent[] = [];
      const atSecond: ServerEvent[] = [];
      first.subscribe((event) => atFirst.push(event));
      second.subscribe((event) => atSecond.push(event));
      first.publish({ kind: "work-pool-changed", workPoolName: "from-first" });
      second.publish({ kind: "slot-released", deploymentId: "from-second" });
      await waitFor(async () => (atFirst.length === 2 && atSecond.length === 2) || undefined);
      // A marker sent last: once it has arrived everywhere, nothing else is still on its way.
      first.publish({ kind: "work-pool-changed", workPoolName: "marker" });
      await waitFor(async () => atSecond.length === 3 || undefined);
      expect(atFirst).toEqual([
        { kind: "work-pool-changed", workPoolName: "from-first" },
        { kind: "slot-released", deploymentId: "from-second" },
        { kind: "work-pool-changed", workPoolName: "marker" },
      ]);
      // Its own event reaches B's listeners at once, A's first one through Redis: either may be first.
      expect(atSecond.slice(0, 2)).toEqual(expect.arrayContaining(atFirst.slice(0, 2)));
      expect(atSecond[2]).toEqual(atFirst[2]);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it("never logs the password of its URL", async () => {
    const lines: string[] = [];
    const logger = createLogger("debug", (line) => lines.push(line));
    // A port nothing listens on: the connection fails and is logged.
    const bus = new RedisEventBus({ url: "redis://:hunter2-secret@127.0.0.1:1", channel: "x", logger });
    await bus.start();
    await waitFor(async () => lines.some((l) => l.includes("reconnecting")) || undefined);
    await bus.close();
    expect(lines.join("\n")).not.toContain("hunter2-secret");
  });
});

describe("server replicas sharing Redis", () => {
  let replicas: Awaited<ReturnType<typeof startReplicas>>;
  beforeAll(async () => {
    replicas = await startReplicas(REDIS_URL, `sluice-test:${RUN}:replicas`);
  });
  afterAll(() => replicas?.close());

  it("streams to a UI on replica B the state of a run created on replica A", async () => {
    const stream = await openStream(replicas.b.url);
    try {
      const created = await testHttp(replicas.a.url).post("/api/flow-runs", {
        flowName: `redis-sse-${RUN}`,
        name: "watched",
      });
      expect(created.status).toBe(201);
      const run = created.body as FlowRun;
      await stream.until(new RegExp(`event: flow-run-state\\ndata: \\{[^\\n]*"flowRunId":"${run.id}"`));
    } finally {
      await stream.close();
    }
  });

  it("wakes a claim held on replica B when a run is created on replica A", async () => {
    const a = testHttp(replicas.a.url);
    const b = testHttp(replicas.b.url);
    const pool = `redis-claim-${RUN}`;
    expect((await a.post("/api/work-pools", { name: pool })).status).toBe(201);
    const deployment = await a.post("/api/deployments", {
      flowName: `redis-claim-${RUN}`,
      name: "d",
      entrypoint: "flows/x.ts:x",
      workPoolName: pool,
    });
    expect(deployment.status, JSON.stringify(deployment.body)).toBeLessThan(300);
    // Held longer than this test may take (30 s): only the event from replica A answers it in time.
    const held = b.post(`/api/work-pools/${pool}/claim`, { workerName: "w", waitMs: 60_000 });
    // The claim is waiting once the worker shows up on B's pool.
    await waitFor(async () => {
      const workers = await b.get(`/api/work-pools/${pool}/workers`);
      return (workers.body as { items: unknown[] }).items.length > 0 || undefined;
    });
    const run = await a.post(`/api/deployments/${(deployment.body as { id: string }).id}/runs`, {});
    expect(run.status).toBe(201);
    const answer = (await held).body as ClaimResponse;
    expect(answer.runs.map((r) => r.flowRun.id)).toEqual([(run.body as FlowRun).id]);
  });
});

describe("server replicas when Redis goes away and comes back", () => {
  let redis: RedisProcess;
  let replicas: Awaited<ReturnType<typeof startReplicas>>;
  beforeAll(async () => {
    redis = await startRedisProcess();
    replicas = await startReplicas(redis.url, `sluice-test:${RUN}:restart`);
  });
  afterAll(async () => {
    await replicas?.close();
    await redis?.stop();
  });

  it("reconnects and carries events again", async () => {
    const stream = await openStream(replicas.b.url);
    const a = testHttp(replicas.a.url);
    const createRun = async (name: string) => {
      const created = await a.post("/api/flow-runs", { flowName: `redis-restart-${RUN}`, name });
      expect(created.status).toBe(201);
      return (created.body as FlowRun).id;
    };
    try {
      await stream.until(new RegExp(`"flowRunId":"${await createRun("before")}"`));
      await redis.kill();
      // Served from the database meanwhile; the event of this run is lost with Redis.
      await createRun("while-away");
      await redis.restart();
      // Both replicas reconnect with backoff: runs created until then may be missed, so keep
      // creating until one arrives on B through Redis.
      const created: string[] = [];
      const arrived = await waitFor(async () => {
        created.push(await createRun("after"));
        await new Promise((resolve) => setTimeout(resolve, 200));
        return created.find((id) => stream.has(new RegExp(`"flowRunId":"${id}"`)));
      }, 20_000);
      expect(created).toContain(arrived);
    } finally {
      await stream.close();
    }
  });
});
