import type { Variable, VariableFilter } from "@sluice/contracts";
import { sql, type Kysely, type Selectable } from "kysely";
import { applyKeyset, byName, toPage } from "../db/keyset.js";
import type { Tables, VariablesTable } from "../db/tables.js";
import { escapeLike } from "../flows/flow-store.js";

type Db = Kysely<Tables>;

const BY_NAME = byName();

/** Creates or replaces the variable `name`; tags are kept when `tags` is undefined. */
export async function upsertVariable(
  db: Db,
  input: { id: string; name: string; value: unknown; tags: string[] | undefined; now: Date },
): Promise<Variable> {
  const row = await db
    .insertInto("variables")
    .values({
      id: input.id,
      name: input.name,
      value: JSON.stringify(input.value),
      tags: JSON.stringify(input.tags ?? []),
      created_at: input.now,
      updated_at: input.now,
    })
    .onConflict((oc) =>
      oc.column("name").doUpdateSet({
        value: (eb) => eb.ref("excluded.value"),
        tags: input.tags === undefined ? sql`variables.tags` : (eb) => eb.ref("excluded.tags"),
        updated_at: input.now,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return toVariable(row);
}

/** The variable named `name`, or undefined. */
export async function findVariable(db: Db, name: string): Promise<Variable | undefined> {
  const row = await db.selectFrom("variables").selectAll().where("name", "=", name).executeTakeFirst();
  return row && toVariable(row);
}

/** Deletes the variable named `name`; false when there was none. */
export async function deleteVariable(db: Db, name: string): Promise<boolean> {
  const result = await db.deleteFrom("variables").where("name", "=", name).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** A page of variables in name order. */
export async function listVariables(db: Db, filter: VariableFilter & { limit: number }) {
  let query = db.selectFrom("variables").selectAll();
  if (filter.nameLike) query = query.where("name", "ilike", `%${escapeLike(filter.nameLike)}%`);
  if (filter.tags?.length) query = query.where(sql<boolean>`tags @> ${JSON.stringify(filter.tags)}::jsonb`);
  const rows = await applyKeyset(query, BY_NAME, filter.cursor, filter.limit).execute();
  return toPage(
    rows,
    filter.limit,
    BY_NAME,
    (row) => row.name,
    (row) => row.id,
    toVariable,
  );
}

function toVariable(row: Selectable<VariablesTable>): Variable {
  return {
    id: row.id,
    name: row.name,
    value: row.value,
    tags: row.tags,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
