import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { acquireFileLock, DB_COMMAND_ROLE, DEFAULT_LOCK_ROLE, pgliteLockPath } from "./file-lock.js";
import { PGliteDialect } from "./pglite-dialect.js";
import { preparingPool } from "./prepared-pool.js";
import type { Tables } from "./tables.js";

/** Which engine a database runs on. */
export type DatabaseKind = "pglite" | "postgres";

/** An open database: one Kysely instance over PGlite or a PostgreSQL pool. */
export interface Database {
  readonly kind: DatabaseKind;
  readonly db: Kysely<Tables>;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  /** Closes the pool or the PGlite instance (and releases a PGlite data directory's lock). */
  close(): Promise<void>;
}

/** Where to open the database. */
export interface DatabaseOptions {
  /** PostgreSQL URL; when absent, PGlite is used. */
  readonly databaseUrl?: string | undefined;
  /** PGlite data directory, or "memory" (default "memory"). */
  readonly pgliteDataDir?: string | undefined;
  /** Largest number of pooled PostgreSQL connections (default 10). */
  readonly maxConnections?: number;
  /**
   * What this process is, written into a PGlite data directory's lock file so that a second opener
   * can name it (default "sluice server"). Only a PGlite directory is locked: not "memory", not PostgreSQL.
   */
  readonly lockRole?: string | undefined;
  /**
   * How long to wait while a `sluice db` command (DB_COMMAND_ROLE) holds the lock (default 0). Any
   * other holder keeps the directory until stopped, so opening fails at once with DatabaseLockedError.
   */
  readonly lockWaitMs?: number | undefined;
}

/**
 * Opens PGlite (a directory or in memory) or PostgreSQL behind one Kysely instance. PGlite allows one
 * process per data directory, so a directory is opened only under its lock file (`${dir}.lock`), held
 * until close() or process exit; another live holder makes this throw DatabaseLockedError.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.maxConnections ?? 10);
  const dataDir = options.pgliteDataDir ?? "memory";
  if (dataDir === "memory") return openPGlite(dataDir);
  const lock = await acquireFileLock(
    pgliteLockPath(dataDir),
    options.lockRole ?? DEFAULT_LOCK_ROLE,
    options.lockWaitMs ?? 0,
    (holder) => holder.role === DB_COMMAND_ROLE,
  );
  const release = () => lock.release();
  process.once("exit", release);
  const unlock = () => {
    lock.release();
    process.off("exit", release);
  };
  let database: Database;
  try {
    database = await openPGlite(dataDir);
  } catch (error) {
    unlock();
    throw error;
  }
  return {
    ...database,
    close: async () => {
      try {
        await database.close();
      } finally {
        unlock();
      }
    },
  };
}

function openPostgres(url: string, max: number): Database {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5_000 });
  // An idle client losing its server emits 'error' on the pool; without a listener Node would crash.
  // The next query on that client fails and is reported where it is made.
  pool.on("error", () => undefined);
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
  return {
    kind: "postgres",
    db,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

async function openPGlite(dataDir: string): Promise<Database> {
  if (dataDir !== "memory") mkdirSync(dataDir, { recursive: true });
  const pglite = dataDir === "memory" ? await PGlite.create() : await PGlite.create(dataDir);
  const db = new Kysely<Tables>({ dialect: new PGliteDialect(pglite) });
  return {
    kind: "pglite",
    db,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}
