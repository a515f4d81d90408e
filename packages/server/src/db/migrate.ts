import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "./database.js";
import { EMBEDDED_MIGRATIONS } from "./migrations/embedded.js";
import type { Tables } from "./tables.js";

/** What a migration run did. */
export interface MigrationSummary {
  /** Names of the migrations applied by this call, in order (empty when already up to date). */
  readonly applied: string[];
}

/** An arbitrary constant identifying Sluice's migrator among advisory locks ("sluice" in ASCII). */
const MIGRATION_LOCK_ID = 0x736c75696365;
const LEDGER = "sluice_migrations";

/**
 * Applies pending migrations in order, each in its own transaction and recorded in the ledger.
 * A transaction-scoped advisory lock serialises concurrent migrators: the second waits, then finds
 * nothing left to do.
 */
export async function migrateDatabase(database: Database): Promise<MigrationSummary> {
  const applied: string[] = [];
  for (const migration of EMBEDDED_MIGRATIONS) {
    const ran = await database.db.transaction().execute(async (trx) => {
      await lockMigrations(trx);
      if (await isApplied(trx, migration.name)) return false;
      await sql.raw(migration.sql).execute(trx);
      await trx.insertInto(LEDGER).values({ name: migration.name, applied_at: new Date() }).execute();
      return true;
    });
    if (ran) applied.push(migration.name);
  }
  return { applied };
}

/** Names of applied migrations, in order. */
export async function listAppliedMigrations(database: Database): Promise<string[]> {
  if (!(await ledgerExists(database.db))) return [];
  const rows = await database.db.selectFrom(LEDGER).select("name").orderBy("name").execute();
  return rows.map((r) => r.name);
}

/** True when every migration this server knows is applied (false on an empty database). */
export async function isSchemaCurrent(database: Database): Promise<boolean> {
  const applied = new Set(await listAppliedMigrations(database));
  return EMBEDDED_MIGRATIONS.every((m) => applied.has(m.name));
}

/** Drops every Sluice table and migrates again from scratch. Destroys all data. */
export async function resetDatabase(database: Database): Promise<MigrationSummary> {
  await database.db.transaction().execute(async (trx) => {
    await lockMigrations(trx);
    const tables = await sql<{ name: string }>`
      select tablename as name from pg_tables where schemaname = current_schema()`.execute(trx);
    for (const table of tables.rows) {
      await sql`drop table if exists ${sql.id(table.name)} cascade`.execute(trx);
    }
  });
  return migrateDatabase(database);
}

/** Takes the migration lock until the transaction ends, then makes sure the ledger exists. */
async function lockMigrations(trx: Transaction<Tables>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`.execute(trx);
  await sql`create table if not exists ${sql.id(LEDGER)} (name text primary key, applied_at timestamptz not null)`.execute(
    trx,
  );
}

async function isApplied(trx: Transaction<Tables>, name: string): Promise<boolean> {
  const row = await trx.selectFrom(LEDGER).select("name").where("name", "=", name).executeTakeFirst();
  return row !== undefined;
}

async function ledgerExists(db: Kysely<Tables>): Promise<boolean> {
  const result = await sql<{ exists: boolean }>`select to_regclass(${LEDGER}) is not null as exists`.execute(
    db,
  );
  return result.rows[0]?.exists === true;
}
