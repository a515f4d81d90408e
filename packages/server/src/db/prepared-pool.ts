import { createHash } from "node:crypto";
import type { PostgresPool, PostgresPoolClient } from "kysely";
import type pg from "pg";

/** How many distinct statements get a name; beyond this, queries run unnamed (bounded memory per connection). */
const MAX_NAMED_STATEMENTS = 1000;
const names = new Map<string, string>();

/**
 * A pg pool for Kysely that runs every parameterised query as a named prepared statement, so
 * PostgreSQL parses and plans each statement once per connection instead of on every call (planning
 * the flow-run lookup costs more than executing it). Parameterless SQL (migrations) runs as is.
 */
export function preparingPool(pool: pg.Pool): PostgresPool {
  return {
    connect: async () => wrapClient(await pool.connect()),
    end: () => pool.end(),
  };
}

function wrapClient(client: pg.PoolClient): PostgresPoolClient {
  const query = (sqlOrCursor: unknown, parameters?: readonly unknown[]): unknown => {
    if (typeof sqlOrCursor !== "string") return client.query(sqlOrCursor as pg.Submittable);
    const values = parameters ? [...parameters] : [];
    const name = values.length > 0 ? statementName(sqlOrCursor) : undefined;
    return name ? client.query({ name, text: sqlOrCursor, values }) : client.query(sqlOrCursor, values);
  };
  return { query, release: () => client.release() } as PostgresPoolClient;
}

function statementName(text: string): string | undefined {
  const known = names.get(text);
  if (known !== undefined || names.size >= MAX_NAMED_STATEMENTS) return known;
  const name = `sluice_${createHash("sha1").update(text).digest("base64url").slice(0, 24)}`;
  names.set(text, name);
  return name;
}
