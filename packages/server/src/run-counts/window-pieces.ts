/** One hour, the grain of run_state_counts (migration 0007). */
export const HOUR_MS = 3_600_000;

/** A half-open time range [from, to) in epoch milliseconds, belonging to one bucket of a window. */
export interface BucketRange {
  readonly bucket: number;
  readonly from: number;
  readonly to: number;
}

/** How a window's buckets are counted: whole hours from the counters, the rest from the runs. */
export interface WindowPieces {
  /** Whole hours inside one bucket each: read from run_state_counts. */
  readonly hours: readonly BucketRange[];
  /** What is left (a bucket's partial hours at either end, or a bucket shorter than an hour): counted row by row. */
  readonly exact: readonly BucketRange[];
}

/**
 * Start of bucket `i` of a window cut into `buckets` equal buckets (the last ends at `until`), in
 * whole milliseconds: the edges answered (ISO timestamps) are the edges counted.
 */
export function bucketStart(since: number, until: number, buckets: number, i: number): number {
  return i >= buckets ? until : Math.floor(since + (i * (until - since)) / buckets);
}

/**
 * Cuts [since, until) into `buckets` equal buckets and each bucket into the whole hours it holds
 * and the partial hours at its ends. A window whose edges fall on hours (as the dashboard's do)
 * has no exact pieces at all; any other window has at most two partial hours per bucket.
 */
export function splitWindow(since: number, until: number, buckets: number): WindowPieces {
  const hours: BucketRange[] = [];
  const exact: BucketRange[] = [];
  for (let bucket = 0; bucket < buckets; bucket++) {
    const from = bucketStart(since, until, buckets, bucket);
    const to = bucketStart(since, until, buckets, bucket + 1);
    const firstHour = Math.ceil(from / HOUR_MS) * HOUR_MS;
    const endHour = Math.floor(to / HOUR_MS) * HOUR_MS;
    if (firstHour >= endHour) {
      exact.push({ bucket, from, to });
      continue;
    }
    hours.push({ bucket, from: firstHour, to: endHour });
    if (from < firstHour) exact.push({ bucket, from, to: firstHour });
    if (endHour < to) exact.push({ bucket, from: endHour, to });
  }
  return { hours, exact };
}

/** Maps an hour's start (epoch ms) to the bucket whose whole hours include it, if any. */
export function hourToBucket(hours: readonly BucketRange[]): (hour: number) => number | undefined {
  const byHour = new Map<number, number>();
  for (const range of hours) {
    for (let hour = range.from; hour < range.to; hour += HOUR_MS) byHour.set(hour, range.bucket);
  }
  return (hour) => byHour.get(hour);
}
