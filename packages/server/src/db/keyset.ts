import { sql, type SelectQueryBuilder } from "kysely";
import { ValidationError } from "../http/errors.js";

/** One stable sort order: a column, then the id column to break ties. */
export interface SortOrder {
  /** The sort's name as the API spells it, stored in cursors so a cursor cannot cross sorts. */
  readonly name: string;
  /** Qualified column, for example "fr.expected_start_time". */
  readonly column: string;
  /** Qualified id column, for example "fr.id". */
  readonly idColumn: string;
  readonly direction: "asc" | "desc";
  readonly kind: "timestamp" | "text";
}

/** Name order (A to Z, ties broken by id) for a table or its alias: `byName("d")` sorts on d.name, d.id. */
export function byName(alias?: string): SortOrder {
  const prefix = alias ? `${alias}.` : "";
  return {
    name: "NAME_ASC",
    column: `${prefix}name`,
    idColumn: `${prefix}id`,
    direction: "asc",
    kind: "text",
  };
}

type CursorValue = [sort: string, value: string, id: string];

/** Encodes the position after `row` as an opaque cursor (base64url of [sort, value, id]). */
export function encodeCursor(order: SortOrder, value: Date | string, id: string): string {
  const text = value instanceof Date ? value.toISOString() : value;
  return Buffer.from(JSON.stringify([order.name, text, id] satisfies CursorValue)).toString("base64url");
}

/** The [sort, value, id] a cursor of `order` holds; a 400 naming body.cursor when it is not one. */
export function decodeCursor(order: SortOrder, cursor: string): CursorValue {
  const invalid = (why: string, cause?: unknown) =>
    new ValidationError(
      "validation_failed",
      `invalid cursor: ${why}`,
      [{ path: "body.cursor", message: why }],
      { cause },
    );
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch (error) {
    throw invalid("not a cursor returned by this API", error);
  }
  const isValid =
    Array.isArray(decoded) && decoded.length === 3 && decoded.every((part) => typeof part === "string");
  if (!isValid) throw invalid("not a cursor returned by this API");
  const value = decoded as CursorValue;
  if (value[0] !== order.name) throw invalid(`cursor belongs to sort ${value[0]}, not ${order.name}`);
  if (!/^[0-9a-f-]{36}$/i.test(value[2])) throw invalid("not a cursor returned by this API");
  if (order.kind === "timestamp" && Number.isNaN(Date.parse(value[1]))) {
    throw invalid("not a cursor returned by this API");
  }
  return value;
}

/** Orders `query` by the sort order, resumes after `cursor`, and fetches one row more than `limit`. */
export function applyKeyset<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  order: SortOrder,
  cursor: string | undefined,
  limit: number,
): SelectQueryBuilder<DB, TB, O> {
  const column = sql.ref(order.column);
  const id = sql.ref(order.idColumn);
  let ordered = query
    .orderBy(sql`${column} ${sql.raw(order.direction)}`)
    .orderBy(sql`${id} ${sql.raw(order.direction)}`)
    .limit(limit + 1);
  if (cursor !== undefined) {
    const [, value, lastId] = decodeCursor(order, cursor);
    const op = sql.raw(order.direction === "asc" ? ">" : "<");
    const typed = order.kind === "timestamp" ? sql`${value}::timestamptz` : sql`${value}::text`;
    ordered = ordered.where(sql<boolean>`(${column}, ${id}) ${op} (${typed}, ${lastId}::uuid)`);
  }
  return ordered;
}

/** Cuts the extra row fetched by applyKeyset and computes the next cursor. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  order: SortOrder,
  sortValue: (row: Row) => Date | string,
  rowId: (row: Row) => string,
  toItem: (row: Row) => Item,
): { items: Item[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > limit && last !== undefined ? encodeCursor(order, sortValue(last), rowId(last)) : null;
  return { items: page.map(toItem), nextCursor };
}
