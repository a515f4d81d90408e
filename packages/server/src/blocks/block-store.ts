import type { BlockFilter } from "@sluice/contracts";
import { sql, type Kysely, type Selectable } from "kysely";
import { applyKeyset, byName, toPage } from "../db/keyset.js";
import type { BlocksTable, Tables } from "../db/tables.js";
import { escapeLike } from "../flows/flow-store.js";
import type { Sealed } from "./encryption/keyring.js";

type Db = Kysely<Tables>;

/** A stored block with its type's slug and secret fields; its data is still sealed. */
export interface StoredBlock {
  readonly id: string;
  readonly name: string;
  readonly blockType: string;
  readonly secretFields: string[];
  readonly sealed: Sealed;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

const BY_NAME = byName("b");

function selectBlocks(db: Db) {
  return db
    .selectFrom("blocks as b")
    .innerJoin("block_types as t", "t.id", "b.block_type_id")
    .selectAll("b")
    .select(["t.slug", "t.secret_fields"]);
}

type JoinedRow = Selectable<BlocksTable> & { slug: string; secret_fields: string[] };

/** The block `name` of the type `typeId`, or undefined; `forUpdate` locks the row until the transaction ends. */
export async function findBlock(
  db: Db,
  typeId: string,
  name: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredBlock | undefined> {
  let query = selectBlocks(db).where("b.block_type_id", "=", typeId).where("b.name", "=", name);
  if (options.forUpdate) query = query.forUpdate("b");
  const row = await query.executeTakeFirst();
  return row && toStoredBlock(row);
}

/** Inserts a new block; false when one with that type and name appeared meanwhile. */
export async function insertBlock(
  db: Db,
  input: { id: string; typeId: string; name: string; sealed: Sealed; now: Date },
): Promise<boolean> {
  const result = await db
    .insertInto("blocks")
    .values({
      id: input.id,
      block_type_id: input.typeId,
      name: input.name,
      ...sealedColumns(input.sealed),
      created_at: input.now,
      updated_at: input.now,
    })
    .onConflict((oc) => oc.columns(["block_type_id", "name"]).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** Replaces a block's sealed data; `now` (when given) becomes its updated time. */
export async function updateSealedData(db: Db, id: string, sealed: Sealed, now?: Date): Promise<void> {
  await db
    .updateTable("blocks")
    .set({ ...sealedColumns(sealed), ...(now ? { updated_at: now } : {}) })
    .where("id", "=", id)
    .execute();
}

/** Deletes a block; false when there was none. */
export async function deleteBlock(db: Db, typeId: string, name: string): Promise<boolean> {
  const result = await db
    .deleteFrom("blocks")
    .where("block_type_id", "=", typeId)
    .where("name", "=", name)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** A page of blocks in name order, optionally of one type. */
export async function listBlocks(
  db: Db,
  filter: Omit<BlockFilter, "blockType"> & { typeId?: string | undefined; limit: number },
) {
  let query = selectBlocks(db);
  if (filter.typeId) query = query.where("b.block_type_id", "=", filter.typeId);
  if (filter.nameLike) query = query.where("b.name", "ilike", `%${escapeLike(filter.nameLike)}%`);
  const rows = await applyKeyset(query, BY_NAME, filter.cursor, filter.limit).execute();
  return toPage(
    rows,
    filter.limit,
    BY_NAME,
    (row) => row.name,
    (row) => row.id,
    toStoredBlock,
  );
}

/** Every block, locked against writes until the transaction ends (for a key rotation). */
export async function lockAllBlocks(db: Db): Promise<StoredBlock[]> {
  await sql`lock table blocks in exclusive mode`.execute(db);
  const rows = await selectBlocks(db).orderBy("b.id").execute();
  return rows.map(toStoredBlock);
}

/** How many blocks each key id sealed, and a few of their names. */
export async function countBlocksByKey(
  db: Db,
): Promise<{ keyId: string; count: number; sample: string[] }[]> {
  const rows = await db
    .selectFrom("blocks as b")
    .innerJoin("block_types as t", "t.id", "b.block_type_id")
    .select((eb) => [
      "b.key_id",
      eb.fn.countAll<string>().as("count"),
      sql<string[]>`(array_agg(t.slug || '/' || b.name order by b.name))[1:5]`.as("sample"),
    ])
    .groupBy("b.key_id")
    .execute();
  return rows.map((row) => ({ keyId: row.key_id, count: Number(row.count), sample: row.sample }));
}

function sealedColumns(sealed: Sealed) {
  return {
    ciphertext: sealed.ciphertext,
    iv: sealed.iv,
    auth_tag: sealed.authTag,
    key_id: sealed.keyId,
  };
}

function toStoredBlock(row: JoinedRow): StoredBlock {
  return {
    id: row.id,
    name: row.name,
    blockType: row.slug,
    secretFields: row.secret_fields,
    sealed: {
      ciphertext: Buffer.from(row.ciphertext),
      iv: Buffer.from(row.iv),
      authTag: Buffer.from(row.auth_tag),
      keyId: row.key_id,
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
