import type { ClaimResponse, WorkQueue } from "@sluice/contracts";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../db/database.js";
import { migrateDatabase } from "../db/migrate.js";
import { startServer, type RunningServer } from "../server.js";
import { TEST_ENCRYPTION_KEY } from "../testing/start-test-server.js";
import { testHttp } from "../testing/test-http.js";
import { insertQueuedRuns } from "../work-pools/work-pool-fixtures.js";

const url = process.env.SLUICE_TEST_DATABASE_URL || undefined;

// Two server processes' worth of servers on one PostgreSQL database: only LISTEN/NOTIFY joins them.
describe.skipIf(!url)("the PostgreSQL event bus", () => {
  let db: Database;
  let first: RunningServer;
  let second: RunningServer;
  const start = () =>
    startServer({
      host: "127.0.0.1",
      port: 0,
      databaseUrl: url,
      encryptionKey: TEST_ENCRYPTION_KEY,
      logLevel: "silent",
      services: false,
    });

  beforeAll(async () => {
    db = await openDatabase({ databaseUrl: url, maxConnections: 2 });
    await migrateDatabase(db);
    [first, second] = await Promise.all([start(), start()]);
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await db?.close();
  });

  it("wakes a claim held by one server when another makes a run due", async () => {
    const suffix = randomUUID().slice(0, 8);
    const a = testHttp(first.url);
    const b = testHttp(second.url);
    const pool = `bus-${suffix}`;
    expect((await a.post("/api/work-pools", { name: pool })).status).toBe(201);
    const queue = (await a.get(`/api/work-pools/${pool}/queues/default`)).body as WorkQueue;
    const flowId = ((await a.post("/api/flows", { name: `bus-${suffix}` })).body as { id: string }).id;
    const [run] = await insertQueuedRuns(db, {
      flowId,
      queue: { id: queue.id, name: queue.name, poolName: pool },
      count: 1,
      dueAt: new Date(Date.now() + 3_600_000),
    });
    const held = a.post(`/api/work-pools/${pool}/claim`, { workerName: "w", waitMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const moved = await b.post(`/api/flow-runs/${run}/set-state`, {
      state: { type: "SCHEDULED", details: { scheduledTime: new Date().toISOString() } },
    });
    expect(moved.status).toBe(200);
    const answer = (await held).body as ClaimResponse;
    expect(answer.runs.map((r) => r.flowRun.id)).toEqual([run]);
  });
});
