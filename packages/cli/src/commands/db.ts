import type { Command } from "commander";
import type * as ServerPackage from "@sluice/server";
import { CliError, UsageError } from "../errors.js";
import { printLine, printNote, withProgress } from "../output.js";
import { maskUrlPassword } from "../settings.js";

/** `@sluice/server`, loaded on demand. */
export type ServerModule = typeof ServerPackage;

type Database = Awaited<ReturnType<ServerModule["openDatabase"]>>;

/** Opens the configured database (SLUICE_DATABASE_URL, else PGlite in SLUICE_HOME), runs `work`, closes it. */
export async function withDatabase<T>(
  work: (server: ServerModule, db: Database, where: string) => Promise<T>,
): Promise<T> {
  const server = await import("@sluice/server");
  const config = server.loadServerConfig(process.env);
  const where = config.databaseUrl
    ? `PostgreSQL ${maskUrlPassword(config.databaseUrl)}`
    : `PGlite in ${config.pgliteDataDir}`;
  // PostgreSQL serialises migrators with an advisory lock. On PGlite, openDatabase takes the data
  // directory's lock file: another db command finishes soon, so wait for it; a server holds the
  // database until stopped, so fail at once naming it.
  const options = { ...config, lockRole: server.DB_COMMAND_ROLE, lockWaitMs: 120_000 };
  let db: Database;
  try {
    db = await withProgress(`Opening ${where}`, () => server.openDatabase(options));
  } catch (error) {
    throw new CliError(`Cannot open the database (${where}): ${(error as Error).message}`, 1, {
      cause: error,
    });
  }
  try {
    return await work(server, db, where);
  } finally {
    await db.close();
  }
}

/** `sluice db upgrade|reset`. */
export function registerDbCommands(program: Command): void {
  const group = program.command("db").description("The server's database: migrations and reset");

  group
    .command("upgrade")
    .description("Apply pending migrations (safe to run while another upgrade runs: the migrator locks)")
    .action(async () => {
      await withDatabase(async (server, db, where) => {
        const { applied } = await withProgress("Applying migrations", () => server.migrateDatabase(db));
        printNote(`Database: ${where}`);
        if (applied.length === 0) return printLine("Database is up to date; no migrations applied.");
        printLine(`Applied ${applied.length} migration${applied.length === 1 ? "" : "s"}:`);
        for (const name of applied) printLine(`  ${name}`);
      });
    });

  group
    .command("reset")
    .description("Drop every table and re-apply the migrations: ALL DATA IS LOST")
    .option("--yes", "confirm that all data should be deleted")
    .action(async (opts: { yes?: boolean }) => {
      if (!opts.yes) {
        throw new UsageError(
          "db reset deletes all data; refusing without --yes (run `sluice db reset --yes`)",
        );
      }
      await withDatabase(async (server, db, where) => {
        await withProgress("Resetting the database", () => server.resetDatabase(db));
        printLine(`Reset ${where}: all data deleted, migrations re-applied.`);
      });
    });
}
