import { createHash } from "node:crypto";

/**
 * How a task's cache key is computed: from its arguments (`inputs`), from the flow run's parameters
 * (`flowParameters`), or not at all (`none`, the default).
 */
export type CachePolicy = "inputs" | "flowParameters" | "none";

/** What a custom cache key function is told about the call. */
export interface CacheKeyContext {
  readonly taskKey: string;
  readonly taskName: string;
  readonly flowRunId: string;
  readonly flowName: string;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** A custom cache key: a string, or null/undefined for "do not cache this call". */
export type CacheKeyFn<A extends unknown[]> = (
  context: CacheKeyContext,
  args: A,
) => string | null | undefined;

/** JSON with object keys sorted, so equal values always hash the same. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") return `${v}n`;
    if (v && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The cache key of one call, or undefined when the call is not cached. */
export function computeCacheKey<A extends unknown[]>(
  policy: CachePolicy | undefined,
  keyFn: CacheKeyFn<A> | undefined,
  context: CacheKeyContext,
  args: A,
): string | undefined {
  if (keyFn) return keyFn(context, args) ?? undefined;
  if (policy === "inputs") return sha256(`${context.taskKey}\0inputs\0${stableStringify(args)}`);
  if (policy === "flowParameters") {
    return sha256(`${context.taskKey}\0parameters\0${stableStringify(context.parameters)}`);
  }
  return undefined;
}

/**
 * The result-store key of a cache entry. Custom keys are encoded (no "/" survives), and long ones
 * hashed, so a key from user input always names one file inside `cache/`.
 */
export function cacheEntryKey(cacheKey: string): string {
  const encoded = encodeURIComponent(cacheKey).replace(/^\.+/, (dots) => "%2E".repeat(dots.length));
  return `cache/${encoded.length > 200 ? sha256(cacheKey) : encoded}.json`;
}
