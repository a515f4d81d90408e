/** The dashboard's selectable windows: how far back, and how the history chart cuts it. */
export const ACTIVITY_WINDOWS = {
  "1h": { label: "1 hour", ms: 3_600_000, buckets: 12 },
  "24h": { label: "24 hours", ms: 86_400_000, buckets: 24 },
  "7d": { label: "7 days", ms: 7 * 86_400_000, buckets: 28 },
  "30d": { label: "30 days", ms: 30 * 86_400_000, buckets: 30 },
} as const;

export type ActivityWindowKey = keyof typeof ACTIVITY_WINDOWS;
export const DEFAULT_WINDOW: ActivityWindowKey = "24h";

/** The `window` query parameter as a known window, or the default. */
export function parseWindow(value: string | null): ActivityWindowKey {
  return value !== null && value in ACTIVITY_WINDOWS ? (value as ActivityWindowKey) : DEFAULT_WINDOW;
}

/**
 * The window's bounds: it ends at the end of the bucket holding `now`, so bucket edges stay put
 * between refreshes (a refresh within the same bucket asks for the same window).
 */
export function windowBounds(
  key: ActivityWindowKey,
  now: number,
): { since: string; until: string; buckets: number } {
  const { ms, buckets } = ACTIVITY_WINDOWS[key];
  const bucketMs = ms / buckets;
  const until = Math.ceil((now + 1) / bucketMs) * bucketMs;
  return { since: new Date(until - ms).toISOString(), until: new Date(until).toISOString(), buckets };
}
