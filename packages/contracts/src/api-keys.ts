import { z } from "zod";
import { Timestamp } from "./common.js";

/**
 * What an API key may do: `read` reads everything but secret block fields, `write` also changes
 * things (runs, deployments, workers' claims), `admin` also manages API keys and reads secrets.
 * Each scope includes the ones before it.
 */
export const ApiKeyScope = z.enum(["read", "write", "admin"]);
export type ApiKeyScope = z.infer<typeof ApiKeyScope>;

/** True when a key of scope `have` may do what needs scope `need` (admin ⊃ write ⊃ read). */
export function scopeIncludes(have: ApiKeyScope, need: ApiKeyScope): boolean {
  return ApiKeyScope.options.indexOf(have) >= ApiKeyScope.options.indexOf(need);
}

/** An API key's name: letters, digits, dots, underscores and hyphens, starting with a letter or digit. */
export const ApiKeyName = z
  .string()
  .min(1)
  .max(100)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    "API key names use letters, digits, dots, underscores and hyphens, starting with a letter or digit",
  );

/** The only API paths that answer without a key when authentication is on (probes). */
export const PUBLIC_API_PATHS: readonly string[] = ["/api/health", "/api/ready"];

/** Longest lifetime a key can be given, in days (ten years). */
export const MAX_API_KEY_DAYS = 3650;

/** An API key as the API shows it: never the key itself, only a prefix to recognise it by. */
export const ApiKey = z.object({
  id: z.uuid(),
  name: ApiKeyName,
  scope: ApiKeyScope,
  /** The key's first characters (for example "sluice_Ab3dE9xQ"), enough to tell keys apart. */
  prefix: z.string(),
  createdAt: Timestamp,
  /** When the key last authenticated a request (written at most once a minute); null if never. */
  lastUsedAt: Timestamp.nullable(),
  /** When the key stops working; null if never. */
  expiresAt: Timestamp.nullable(),
});
export type ApiKey = z.infer<typeof ApiKey>;

/** Creates an API key. */
export const ApiKeyCreate = z.strictObject({
  name: ApiKeyName,
  scope: ApiKeyScope,
  /** Days until the key expires (default: never). */
  expiresInDays: z.number().int().min(1).max(MAX_API_KEY_DAYS).optional(),
});
export type ApiKeyCreate = z.input<typeof ApiKeyCreate>;

/** A new API key with the key itself: the only time it is shown, since only its hash is stored. */
export const ApiKeyCreated = ApiKey.extend({ key: z.string() });
export type ApiKeyCreated = z.infer<typeof ApiKeyCreated>;

/** Every API key, in name order. */
export const ApiKeyList = z.object({ items: z.array(ApiKey) });
export type ApiKeyList = z.infer<typeof ApiKeyList>;
