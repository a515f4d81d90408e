import type { Flow, FlowFilter } from "@sluice/contracts";
import type { Kysely } from "kysely";
import { applyKeyset, byName, toPage, type SortOrder } from "../db/keyset.js";
import type { FlowRow, Tables } from "../db/tables.js";

type Db = Kysely<Tables>;

const SORTS: Record<NonNullable<FlowFilter["sort"]>, SortOrder> = {
  NAME_ASC: byName(),
  CREATED_DESC: {
    name: "CREATED_DESC",
    column: "created_at",
    idColumn: "id",
    direction: "desc",
    kind: "timestamp",
  },
};

/** Inserts the flow unless one with that name exists; returns the stored flow either way. */
export async function upsertFlow(
  db: Db,
  flow: { id: string; name: string; tags: string[]; now: Date },
): Promise<Flow> {
  const inserted = await db
    .insertInto("flows")
    .values({
      id: flow.id,
      name: flow.name,
      tags: JSON.stringify(flow.tags),
      created_at: flow.now,
      updated_at: flow.now,
    })
    .onConflict((oc) => oc.column("name").doNothing())
    .returningAll()
    .executeTakeFirst();
  const row =
    inserted ??
    (await db.selectFrom("flows").selectAll().where("name", "=", flow.name).executeTakeFirstOrThrow());
  return toFlow(row);
}

/** The flow with this id, or undefined. */
export async function findFlow(db: Db, id: string): Promise<Flow | undefined> {
  const row = await db.selectFrom("flows").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toFlow(row);
}

/** A page of flows. */
export async function listFlows(db: Db, filter: FlowFilter & { limit: number; sort: keyof typeof SORTS }) {
  const order = SORTS[filter.sort];
  let query = db.selectFrom("flows").selectAll();
  if (filter.nameLike) query = query.where("name", "ilike", `%${escapeLike(filter.nameLike)}%`);
  const rows = await applyKeyset(query, order, filter.cursor, filter.limit).execute();
  return toPage(
    rows,
    filter.limit,
    order,
    (row) => (order.kind === "text" ? row.name : row.created_at),
    (row) => row.id,
    toFlow,
  );
}

/** Escapes LIKE wildcards so user text matches literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function toFlow(row: FlowRow): Flow {
  return {
    id: row.id,
    name: row.name,
    tags: row.tags,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
