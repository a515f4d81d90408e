import type { FlowRun, WorkQueue } from "@sluice/contracts";
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../db/database.js";
import { migrateDatabase } from "../db/migrate.js";
import { startServer, type RunningServer } from "../server.js";
import { createScratchDatabase, type ScratchDatabase } from "../testing/scratch-database.js";
import { TEST_ENCRYPTION_KEY } from "../testing/start-test-server.js";
import { testHttp } from "../testing/test-http.js";
import { insertQueuedRuns } from "../work-pools/work-pool-fixtures.js";
import { serviceLockKey } from "./service-runner.js";

const adminUrl = process.env.SLUICE_TEST_DATABASE_URL || undefined;

// Several server replicas on one PostgreSQL database: a background pass runs in one of them only.
describe.skipIf(!adminUrl)("background services across server replicas", () => {
  let scratch: ScratchDatabase;
  let db: Database;
  let replicas: RunningServer[] = [];

  beforeAll(async () => {
    // A database of its own: a pass acts on every run in it.
    scratch = await createScratchDatabase(adminUrl!, "replicas");
    db = await openDatabase({ databaseUrl: scratch.url, maxConnections: 3 });
    await migrateDatabase(db);
    const start = () =>
      startServer({
        host: "127.0.0.1",
        port: 0,
        databaseUrl: scratch.url,
        encryptionKey: TEST_ENCRYPTION_KEY,
        migrateOnStart: false,
        logLevel: "silent",
        // Running, but never on their own timers: the test starts each pass.
        services: { intervalMs: { "late-runs": 3_600_000 } },
      });
    replicas = await Promise.all([start(), start()]);
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    await db?.close();
    await scratch?.drop();
  });

  it("skip a pass in every replica while another holds the service's lock", async () => {
    const [a, b] = replicas as [RunningServer, RunningServer];
    const api = testHttp(a.url);
    const suffix = randomUUID().slice(0, 8);
    expect((await api.post("/api/work-pools", { name: `late-${suffix}` })).status).toBe(201);
    const queue = (await api.get(`/api/work-pools/late-${suffix}/queues/default`)).body as WorkQueue;
    const flowId = ((await api.post("/api/flows", { name: `late-${suffix}` })).body as { id: string }).id;
    const [run] = await insertQueuedRuns(db, {
      flowId,
      queue: { id: queue.id, name: queue.name, poolName: `late-${suffix}` },
      count: 1,
      dueAt: new Date(Date.now() - 3_600_000),
    });
    const stateName = async () => ((await api.get(`/api/flow-runs/${run}`)).body as FlowRun).stateName;

    // The lock held as another replica's pass holds it: neither replica's pass does anything.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = db.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${serviceLockKey("late-runs")})`.execute(trx);
      locked();
      await released;
    });
    await isLocked;
    await Promise.all([a.runService("late-runs"), b.runService("late-runs")]);
    expect(await stateName()).toBe("Scheduled");
    release();
    await holder;

    // Free again: the next pass, in whichever replica, marks the run Late once.
    await Promise.all([a.runService("late-runs"), b.runService("late-runs")]);
    expect(await stateName()).toBe("Late");
    const states = (await api.get(`/api/flow-runs/${run}/states`)).body as { name: string }[];
    expect(states.filter((s) => s.name === "Late")).toHaveLength(1);
  });
});
