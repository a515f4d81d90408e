import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../testing/test-http.js";
import { openDatabase, type Database } from "./database.js";

let database: Database;

beforeAll(async () => {
  database = await openDatabase({ pgliteDataDir: "memory" });
  await sql`create table items (id int primary key, label text not null)`.execute(database.db);
});
afterAll(() => database?.close());

type Items = { items: { id: number; label: string } };

describe("the PGlite dialect", () => {
  it("gives a transaction the connection until it ends; other queries wait their turn", async () => {
    const db = database.db.withTables<Items>();
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto("items").values({ id: 1, label: "inside" }).execute();
      order.push("inserted");
      await held;
      order.push("committing");
    });
    await waitFor(async () => (order.includes("inserted") ? true : undefined));
    const outside = db
      .selectFrom("items")
      .selectAll()
      .execute()
      .then((rows) => {
        order.push("read");
        return rows;
      });
    // Give the outside read a chance to run early; it must not, while the transaction holds the connection.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(order).toEqual(["inserted"]);
    release();
    await transaction;
    expect(await outside).toEqual([{ id: 1, label: "inside" }]);
    expect(order).toEqual(["inserted", "committing", "read"]);
  });

  it("rolls back a failed transaction and keeps serving", async () => {
    const db = database.db.withTables<Items>();
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("items").values({ id: 2, label: "doomed" }).execute();
        await trx.insertInto("items").values({ id: 2, label: "duplicate" }).execute();
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await db.selectFrom("items").select("id").where("id", "=", 2).execute()).toEqual([]);
    const affected = await db
      .updateTable("items")
      .set({ label: "renamed" })
      .where("id", "=", 1)
      .executeTakeFirst();
    expect(affected.numUpdatedRows).toBe(1n);
    const multi = await sql<{ n: number }>`select 1 as n; select 2 as n`.execute(db);
    expect(multi.rows).toEqual([{ n: 2 }]);
  });
});
