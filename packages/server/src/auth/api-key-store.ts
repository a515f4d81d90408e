import type { ApiKey } from "@sluice/contracts";
import type { Kysely, Selectable } from "kysely";
import type { ApiKeysTable, Tables } from "../db/tables.js";

type Db = Kysely<Tables>;

/** An API key row as the server uses it: the public fields plus its hash. */
export type ApiKeyRow = Selectable<ApiKeysTable>;

/** Stores a new key (its hash, never the key); the caller maps a unique violation to a conflict. */
export async function insertApiKey(db: Db, row: ApiKeyRow): Promise<ApiKeyRow> {
  return db.insertInto("api_keys").values(row).returningAll().executeTakeFirstOrThrow();
}

/** Every key, in name order. */
export async function listApiKeys(db: Db): Promise<ApiKeyRow[]> {
  return db.selectFrom("api_keys").selectAll().orderBy("name").execute();
}

/** The key with this hash, or undefined. */
export async function findApiKeyByHash(db: Db, hash: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom("api_keys").selectAll().where("key_hash", "=", hash).executeTakeFirst();
}

/** True when at least one key exists (expired ones included): authentication is then on. */
export async function hasApiKeys(db: Db): Promise<boolean> {
  const row = await db.selectFrom("api_keys").select("id").limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Deletes the key with this id; false when there was none. */
export async function deleteApiKey(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom("api_keys").where("id", "=", id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Records that the key was used at `now`. */
export async function touchApiKey(db: Db, id: string, now: Date): Promise<void> {
  await db.updateTable("api_keys").set({ last_used_at: now }).where("id", "=", id).execute();
}

/** The API's view of a key row: no hash. */
export function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    expiresAt: row.expires_at?.toISOString() ?? null,
  };
}
