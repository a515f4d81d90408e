import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "./database.js";
import { listAppliedMigrations, migrateDatabase, resetDatabase } from "./migrate.js";
import { EMBEDDED_MIGRATIONS_PATH, embeddedMigrationsSource, readMigrationFiles } from "./migration-files.js";
import { describeSchema } from "./schema-snapshot.js";
import { createScratchDatabase, type ScratchDatabase } from "../testing/scratch-database.js";

const SNAPSHOT_PATH = fileURLToPath(new URL("./schema.snapshot.sql", import.meta.url));
const testUrl = process.env.SLUICE_TEST_DATABASE_URL || undefined;

/** On PostgreSQL: a throwaway database of its own, since these tests drop and recreate tables. */
let scratch: ScratchDatabase | undefined;
let scratchUrl: string | undefined;
let database: Database;

beforeAll(async () => {
  scratch = testUrl ? await createScratchDatabase(testUrl, "migrate_test") : undefined;
  scratchUrl = scratch?.url;
  database = await openDatabase({ databaseUrl: scratchUrl, pgliteDataDir: "memory" });
});

afterAll(async () => {
  await database?.close();
  await scratch?.drop();
});

describe("migrations", () => {
  it("ship embedded copies identical to the .sql files", () => {
    const names = readMigrationFiles().map((m) => m.name);
    expect(names[0]).toBe("0001_initial");
    expect(names.every((name, i) => name.startsWith(String(i + 1).padStart(4, "0")))).toBe(true);
    for (const m of readMigrationFiles()) expect(m.sql.startsWith(`-- ${m.name}:`), m.name).toBe(true);
    // When this fails: node --conditions=@sluice/source --import tsx packages/server/scripts/embed-migrations.ts
    expect(readFileSync(EMBEDDED_MIGRATIONS_PATH, "utf8")).toBe(embeddedMigrationsSource());
  });

  it("apply once, record a ledger, and do nothing the second time", async () => {
    const names = readMigrationFiles().map((m) => m.name);
    expect(await migrateDatabase(database)).toEqual({ applied: names });
    expect(await migrateDatabase(database)).toEqual({ applied: [] });
    expect(await listAppliedMigrations(database)).toEqual(names);
  });

  it("match the committed schema snapshot", async () => {
    const schema = await describeSchema(database.db);
    if (process.env.UPDATE_SNAPSHOT === "1") writeFileSync(SNAPSHOT_PATH, schema);
    // When this fails after an intended change: UPDATE_SNAPSHOT=1 npx vitest run packages/server/src/db
    expect(schema).toBe(readFileSync(SNAPSHOT_PATH, "utf8"));
  });

  it("reset drops everything and migrates again", async () => {
    const now = new Date();
    await database.db
      .insertInto("flows")
      .values({
        id: "00000000-0000-4000-8000-000000000001",
        name: "doomed",
        tags: "[]",
        created_at: now,
        updated_at: now,
      })
      .execute();
    await sql`create table stray (id int)`.execute(database.db);
    expect(await resetDatabase(database)).toEqual({ applied: readMigrationFiles().map((m) => m.name) });
    expect(await database.db.selectFrom("flows").selectAll().execute()).toEqual([]);
    await expect(sql`select * from stray`.execute(database.db)).rejects.toThrow(/stray/);
  });

  it("are safe when two migrators run at once", async () => {
    await resetDatabase(database);
    await sql`drop table ${sql.id("sluice_migrations")}`.execute(database.db);
    for (const table of [
      "run_state_count_deltas",
      "run_state_counts",
      "blocks",
      "block_types",
      "api_keys",
      "variables",
      "concurrency_leases",
      "deployment_schedules",
      "artifacts",
      "logs",
      "task_run_states",
      "task_runs",
      "flow_run_states",
      "flow_runs",
      "deployments",
      "workers",
      "work_queues",
      "work_pools",
      "flows",
    ]) {
      await sql`drop table ${sql.id(table)}`.execute(database.db);
    }
    // On PostgreSQL these are two pools, as two `sluice db upgrade` processes would be.
    const second = testUrl ? await openDatabase({ databaseUrl: scratchUrl }) : database;
    try {
      const results = await Promise.all([migrateDatabase(database), migrateDatabase(second)]);
      const applied = results.flatMap((r) => r.applied).sort();
      expect(applied).toEqual(readMigrationFiles().map((m) => m.name));
      expect(await listAppliedMigrations(second)).toEqual(applied);
    } finally {
      if (second !== database) await second.close();
    }
  });
});
