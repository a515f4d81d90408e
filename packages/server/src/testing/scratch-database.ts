import pg from "pg";

/** A throwaway PostgreSQL database beside the one an admin URL names; `drop()` removes it. */
export interface ScratchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

async function runAdmin(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty database named `sluice_<label>_<pid>_<time>_<random>` on the server `adminUrl`
 * points at, for tests that need one of their own (they drop tables, or run background services
 * that act on every run of their database).
 */
export async function createScratchDatabase(adminUrl: string, label: string): Promise<ScratchDatabase> {
  const name = `sluice_${label}_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  await runAdmin(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => runAdmin(adminUrl, `drop database if exists ${name} with (force)`),
  };
}
