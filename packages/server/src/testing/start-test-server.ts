import type { Clock } from "../clock.js";
import { openDatabase, type Database } from "../db/database.js";
import { migrateDatabase } from "../db/migrate.js";
import { startServer, type RunningServer, type StartServerOptions } from "../server.js";
import { createScratchDatabase } from "./scratch-database.js";

/** Options of startTestServer. */
export interface TestServerOptions {
  /** The time source (default the system clock). */
  clock?: Clock;
  /** Background services (default false: none run; drive them with `runService`). */
  services?: StartServerOptions["services"];
  /**
   * On PostgreSQL, serve a throwaway database of this server's own, dropped on close (default false:
   * the shared one). Tests that run background service passes need it: a pass acts on every run in
   * the database, so on the shared one it would change other test files' runs.
   */
  ownDatabase?: boolean;
  /** Block encryption key (default TEST_ENCRYPTION_KEY, shared by every test server). */
  encryptionKey?: string;
  /** Decrypt-only keys (default none). */
  previousEncryptionKeys?: readonly string[];
  /** The server's SLUICE_API_KEY (default none). */
  apiKey?: string;
  /** Receives the server's log lines at warn and above (default: no logging). */
  logWrite?: (line: string) => void;
}

/**
 * The block encryption key of test servers: fixed, so every test server (and a CLI subprocess given
 * it as SLUICE_ENCRYPTION_KEY) reads the blocks of the shared PostgreSQL test database. Tests only.
 */
export const TEST_ENCRYPTION_KEY = "c2x1aWNlLXRlc3Qta2V5Om5vdC1wcm9kdWN0aW9uISE=";

/** A test server, with the database it serves for direct inspection. */
export interface TestServer extends RunningServer {
  /** The database behind the server (shared between test servers on PostgreSQL). */
  readonly db: Database;
}

let migratedPostgres: Promise<void> | undefined;

/**
 * Starts a server for tests on a random port: PGlite in memory, or the PostgreSQL database named by
 * SLUICE_TEST_DATABASE_URL (migrated once per process and shared: isolate tests by data, not by
 * database). `close()` stops the server and closes its database.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const sharedUrl = process.env.SLUICE_TEST_DATABASE_URL || undefined;
  const scratch =
    sharedUrl && options.ownDatabase ? await createScratchDatabase(sharedUrl, "test_own") : undefined;
  const databaseUrl = scratch?.url ?? sharedUrl;
  const db = await openDatabase({ databaseUrl, pgliteDataDir: "memory", maxConnections: 5 });
  const closeDatabase = async () => {
    await db.close();
    await scratch?.drop();
  };
  try {
    if (databaseUrl && !scratch) {
      migratedPostgres ??= migrateDatabase(db).then(() => undefined);
      await migratedPostgres;
    } else {
      await migrateDatabase(db);
    }
    const server = await startServer({
      host: "127.0.0.1",
      port: 0,
      database: db,
      migrateOnStart: false,
      logLevel: options.logWrite ? "warn" : "silent",
      ...(options.logWrite ? { logWrite: options.logWrite } : {}),
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      // The URL lets the server LISTEN for other processes' events on the shared PostgreSQL database.
      databaseUrl,
      services: options.services ?? false,
      encryptionKey: options.encryptionKey ?? TEST_ENCRYPTION_KEY,
      ...(options.previousEncryptionKeys ? { previousEncryptionKeys: options.previousEncryptionKeys } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    return {
      ...server,
      database: server.database,
      db,
      close: async () => {
        await server.close();
        await closeDatabase();
      },
    };
  } catch (error) {
    await closeDatabase();
    throw error;
  }
}
