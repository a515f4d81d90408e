import type { BlockType } from "@sluice/contracts";
import { sql, type Kysely } from "kysely";
import type { BlockTypeRow, Tables } from "../db/tables.js";

type Db = Kysely<Tables>;

/** A block type as written: everything but the timestamps and the id the database may keep. */
export interface BlockTypeInput {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly schema: Record<string, unknown>;
  readonly secretFields: readonly string[];
  readonly now: Date;
}

/**
 * Creates or refreshes the built-in types. One statement per type with ON CONFLICT, so two servers
 * starting at once both succeed; a row already equal to the code is left untouched.
 */
export async function upsertBuiltInTypes(db: Db, types: readonly BlockTypeInput[]): Promise<void> {
  for (const type of types) {
    await db
      .insertInto("block_types")
      .values({ ...columns(type), built_in: true })
      .onConflict((oc) =>
        oc
          .column("slug")
          .doUpdateSet({
            name: (eb) => eb.ref("excluded.name"),
            description: (eb) => eb.ref("excluded.description"),
            schema: (eb) => eb.ref("excluded.schema"),
            secret_fields: (eb) => eb.ref("excluded.secret_fields"),
            built_in: true,
            updated_at: (eb) => eb.ref("excluded.updated_at"),
          })
          .where(
            sql<boolean>`(block_types.name, block_types.description, block_types.schema, block_types.secret_fields, block_types.built_in)
              is distinct from (excluded.name, excluded.description, excluded.schema, excluded.secret_fields, true)`,
          ),
      )
      .execute();
  }
}

/**
 * Creates or updates a custom type; undefined when `slug` is a built-in type (left untouched: the
 * WHERE on the conflict keeps the check and the write in one statement).
 */
export async function upsertCustomType(db: Db, type: BlockTypeInput): Promise<BlockType | undefined> {
  const row = await db
    .insertInto("block_types")
    .values({ ...columns(type), built_in: false })
    .onConflict((oc) =>
      oc
        .column("slug")
        .doUpdateSet({
          name: (eb) => eb.ref("excluded.name"),
          description: (eb) => eb.ref("excluded.description"),
          schema: (eb) => eb.ref("excluded.schema"),
          secret_fields: (eb) => eb.ref("excluded.secret_fields"),
          updated_at: (eb) => eb.ref("excluded.updated_at"),
        })
        .where("block_types.built_in", "=", false),
    )
    .returningAll()
    .executeTakeFirst();
  return row && toBlockType(row);
}

/** The type with `slug`, or undefined. */
export async function findBlockType(db: Db, slug: string): Promise<BlockType | undefined> {
  const row = await db.selectFrom("block_types").selectAll().where("slug", "=", slug).executeTakeFirst();
  return row && toBlockType(row);
}

/** Every block type in slug order (a few dozen at most: no paging). */
export async function listBlockTypes(db: Db): Promise<BlockType[]> {
  const rows = await db.selectFrom("block_types").selectAll().orderBy("slug").execute();
  return rows.map(toBlockType);
}

/** How many blocks use the type. */
export async function countBlocksOfType(db: Db, typeId: string): Promise<number> {
  const row = await db
    .selectFrom("blocks")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("block_type_id", "=", typeId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Deletes a custom type by id; false when it was gone already. */
export async function deleteCustomType(db: Db, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom("block_types")
    .where("id", "=", id)
    .where("built_in", "=", false)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

function columns(type: BlockTypeInput) {
  return {
    id: type.id,
    slug: type.slug,
    name: type.name,
    description: type.description,
    schema: JSON.stringify(type.schema),
    secret_fields: JSON.stringify(type.secretFields),
    created_at: type.now,
    updated_at: type.now,
  };
}

/** The API form of a row. */
export function toBlockType(row: BlockTypeRow): BlockType {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    schema: row.schema,
    secretFields: row.secret_fields,
    builtIn: row.built_in,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
