import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startServer } from "../server.js";
import { startTestServer, TEST_ENCRYPTION_KEY } from "../testing/start-test-server.js";
import { testHttp, waitFor } from "../testing/test-http.js";
import { openDatabase } from "./database.js";
import { DatabaseLockedError, pgliteLockPath, readLockHolder } from "./file-lock.js";
import { listAppliedMigrations, migrateDatabase } from "./migrate.js";

const testUrl = process.env.SLUICE_TEST_DATABASE_URL || undefined;
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe("PGlite in a directory", () => {
  it("keeps its data across restarts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-pglite-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const first = await startServer({ port: 0, home: dir, logLevel: "silent" });
    const created = await testHttp(first.url).post("/api/flows", { name: "persisted" });
    await first.close();
    const db = await openDatabase({ pgliteDataDir: join(dir, "db") });
    try {
      expect(await migrateDatabase(db)).toEqual({ applied: [] });
      const flows = await db.db.selectFrom("flows").select("id").execute();
      expect(flows).toEqual([{ id: (created.body as { id: string }).id }]);
    } finally {
      await db.close();
    }
  });
});

describe("the PGlite data directory lock", () => {
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-pglite-lock-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return join(dir, "db");
  };

  it("keeps a second opener out while the first is open, and lets it in after close", async () => {
    const dir = tempDir();
    const first = await openDatabase({ pgliteDataDir: dir, lockRole: "first opener" });
    const second = openDatabase({ pgliteDataDir: dir, lockRole: "second opener" });
    await expect(second).rejects.toBeInstanceOf(DatabaseLockedError);
    await expect(second).rejects.toThrow(`pid ${process.pid}, first opener`);
    await expect(second).rejects.toThrow(/stop that process, or talk to it through SLUICE_API_URL/);
    await first.close();
    expect(existsSync(pgliteLockPath(dir))).toBe(false);
    const again = await openDatabase({ pgliteDataDir: dir, lockRole: "second opener" });
    expect(readLockHolder(pgliteLockPath(dir))).toEqual({ pid: process.pid, role: "second opener" });
    await again.close();
  });

  it("takes over a lock left by a process that is gone", async () => {
    const dir = tempDir();
    writeFileSync(pgliteLockPath(dir), "999999999 sluice server");
    const db = await openDatabase({ pgliteDataDir: dir });
    expect(readLockHolder(pgliteLockPath(dir))).toEqual({ pid: process.pid, role: "sluice server" });
    await db.close();
  });

  it("does not lock an in-memory database", async () => {
    const first = await openDatabase({ pgliteDataDir: "memory" });
    const second = await openDatabase({ pgliteDataDir: "memory" });
    await Promise.all([first.close(), second.close()]);
  });
});

describe("closing the server", () => {
  it("lets a request in progress finish before closing the database", async () => {
    const server = await startTestServer();
    const api = testHttp(server.url);
    const run = await api.post("/api/flow-runs", { flowName: "closing", state: { type: "RUNNING" } });
    const flowRunId = (run.body as { id: string }).id;
    const taskRuns = Array.from({ length: 5000 }, (_, i) => ({
      id: randomUUID(),
      flowRunId,
      taskKey: "t",
      name: `t-${i}`,
      dynamicKey: String(i),
    }));
    const states = taskRuns.map((t) => ({
      taskRunId: t.id,
      state: {
        id: randomUUID(),
        type: "RUNNING",
        name: "Running",
        timestamp: new Date().toISOString(),
        message: null,
        details: {},
        result: null,
      },
    }));
    const batch = api.post("/api/task-runs/batch", { taskRuns, states });
    // The batch is in progress once its task runs are stored (its states and refresh come after).
    await waitFor(async () => {
      const row = await server.db.db
        .selectFrom("task_runs")
        .select("id")
        .where("flow_run_id", "=", flowRunId)
        .executeTakeFirst();
      return row ? true : undefined;
    });
    await server.close();
    expect(await batch).toMatchObject({ status: 200, body: { taskRunsCreated: 5000, statesCreated: 5000 } });
  });
});

describe("a database that is not migrated", () => {
  it("is not ready and answers 503 naming the fix, until it is migrated", async () => {
    const db = await openDatabase({ pgliteDataDir: "memory" });
    cleanups.push(() => db.close());
    const server = await startServer({ port: 0, database: db, migrateOnStart: false, logLevel: "silent" });
    cleanups.push(() => server.close());
    const api = testHttp(server.url);
    expect((await api.get("/api/ready")).status).toBe(503);
    const res = await api.post("/api/flows/filter", {});
    expect(res).toMatchObject({ status: 503, body: { code: "database_unavailable" } });
    expect((res.body as { message: string }).message).toContain("sluice db upgrade");
    await migrateDatabase(db);
    expect(await api.get("/api/ready")).toEqual({
      status: 200,
      body: { status: "ready", database: "pglite" },
    });
  });
});

describe("an unreachable database", () => {
  it("answers 503 instead of crashing when nothing listens on the PostgreSQL port", async () => {
    const port = await freePort();
    const server = await startServer({
      port: 0,
      databaseUrl: `postgres://postgres@127.0.0.1:${port}/none`,
      encryptionKey: TEST_ENCRYPTION_KEY,
      migrateOnStart: false,
      logLevel: "silent",
    });
    cleanups.push(() => server.close());
    const api = testHttp(server.url);
    expect(await api.get("/api/health")).toMatchObject({ status: 200 });
    expect(await api.get("/api/ready")).toEqual({
      status: 503,
      body: { status: "unavailable", database: "postgres" },
    });
    const res = await api.post("/api/flow-runs/filter", {});
    expect(res).toMatchObject({ status: 503, body: { code: "database_unavailable" } });
  });

  it("refuses to start when it must migrate and cannot reach the database", async () => {
    const port = await freePort();
    await expect(
      startServer({
        port: 0,
        databaseUrl: `postgres://postgres@127.0.0.1:${port}/none`,
        encryptionKey: TEST_ENCRYPTION_KEY,
        logLevel: "silent",
      }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });

  it.skipIf(!testUrl)(
    "recovers when PostgreSQL comes back (through a proxy we cut and restore)",
    async () => {
      const target = new URL(testUrl!);
      const proxy = await startProxy(target.hostname, Number(target.port || 5432));
      cleanups.push(() => proxy.stop());
      const proxied = new URL(testUrl!);
      proxied.host = `127.0.0.1:${proxy.port}`;
      const server = await startServer({
        port: 0,
        databaseUrl: proxied.toString(),
        encryptionKey: TEST_ENCRYPTION_KEY,
        logLevel: "silent",
      });
      cleanups.push(() => server.close());
      const api = testHttp(server.url);
      expect((await api.post("/api/flows", { name: "survives-outage" })).status).toBe(200);

      await proxy.stop();
      expect((await api.get("/api/ready")).status).toBe(503);
      expect(await api.post("/api/flows/filter", {})).toMatchObject({
        status: 503,
        body: { code: "database_unavailable" },
      });

      await proxy.start();
      await waitFor(async () => ((await api.get("/api/ready")).status === 200 ? true : undefined));
      expect((await api.post("/api/flows", { name: "survives-outage" })).status).toBe(200);
      const db = await openDatabase({ databaseUrl: testUrl });
      try {
        expect(await listAppliedMigrations(db)).toContain("0001_initial");
      } finally {
        await db.close();
      }
    },
  );
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP proxy on a fixed local port that can be stopped (cutting every connection) and started again. */
async function startProxy(host: string, targetPort: number) {
  const port = await freePort();
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  const start = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(targetPort, host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on("close", () => sockets.delete(s));
          s.on("error", () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, "127.0.0.1", resolve);
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server?.listening) return resolve();
      server.close(() => resolve());
    });
  await start();
  return { port, start, stop };
}
