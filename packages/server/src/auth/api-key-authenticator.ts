import type { ApiKeyScope } from "@sluice/contracts";
import type { AppDeps } from "../app-deps.js";
import { hashApiKey, matchesServerKey } from "./api-key-secret.js";
import * as store from "./api-key-store.js";

/**
 * How long this process trusts what it read about keys: whether any exist, and each key's row.
 * Creating or revoking a key here clears both at once; other replicas see it within this delay.
 */
export const KEY_CACHE_MS = 2000;
/** last_used_at is written at most this often per key, so busy keys do not write on every request. */
export const LAST_USED_INTERVAL_MS = 60_000;
/** Most key rows kept in the cache (a bound on memory; a miss just reads the database). */
const MAX_CACHED_KEYS = 1000;

/** Who a request authenticated as. */
export interface Principal {
  readonly scope: ApiKeyScope;
  /** The key's id, or undefined for the server's own SLUICE_API_KEY. */
  readonly keyId: string | undefined;
}

/** Why a key was refused: only ever logged, never told to the client. */
export type RefusalReason = "missing" | "unknown" | "expired";

/** Checks bearer keys against SLUICE_API_KEY and the api_keys table, with short caches. */
export function createApiKeyAuthenticator({ db, clock, config }: Pick<AppDeps, "db" | "clock" | "config">) {
  let anyKeys: { value: boolean; at: number } | undefined;
  const rows = new Map<string, { row: store.ApiKeyRow; at: number }>();

  const fresh = (at: number) => clock.now().getTime() - at < KEY_CACHE_MS;

  async function findRow(hash: string): Promise<store.ApiKeyRow | undefined> {
    const cached = rows.get(hash);
    if (cached && fresh(cached.at)) return cached.row;
    rows.delete(hash);
    const row = await store.findApiKeyByHash(db.db, hash);
    if (!row) return undefined;
    // Maps iterate in insertion order: dropping the first entry drops the oldest.
    if (rows.size >= MAX_CACHED_KEYS) rows.delete(rows.keys().next().value ?? "");
    rows.set(hash, { row, at: clock.now().getTime() });
    return row;
  }

  async function touch(row: store.ApiKeyRow, now: Date): Promise<void> {
    if (row.last_used_at && now.getTime() - row.last_used_at.getTime() < LAST_USED_INTERVAL_MS) return;
    // Set on the cached row first, so concurrent requests of the same key do not all write.
    row.last_used_at = now;
    await store.touchApiKey(db.db, row.id, now);
  }

  return {
    /** True when requests need a key: SLUICE_API_KEY is set or any API key exists. */
    async isEnabled(): Promise<boolean> {
      if (config.apiKey !== undefined) return true;
      if (anyKeys && fresh(anyKeys.at)) return anyKeys.value;
      const value = await store.hasApiKeys(db.db);
      anyKeys = { value, at: clock.now().getTime() };
      return value;
    },

    /** The principal a presented key stands for, or why it is refused. */
    async authenticate(key: string | undefined): Promise<Principal | RefusalReason> {
      if (key === undefined) return "missing";
      if (config.apiKey !== undefined && matchesServerKey(key, config.apiKey)) {
        return { scope: "admin", keyId: undefined };
      }
      const row = await findRow(hashApiKey(key));
      if (!row) return "unknown";
      const now = clock.now();
      if (row.expires_at && row.expires_at.getTime() <= now.getTime()) return "expired";
      await touch(row, now);
      return { scope: row.scope, keyId: row.id };
    },

    /** Forgets everything cached: called when this process creates or revokes a key. */
    invalidate(): void {
      anyKeys = undefined;
      rows.clear();
    },
  };
}

/** The authenticator of one server process. */
export type ApiKeyAuthenticator = ReturnType<typeof createApiKeyAuthenticator>;
