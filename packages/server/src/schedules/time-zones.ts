import { DateTime } from "luxon";

const DAY_MS = 86_400_000;

/** True when `zone` is an IANA time zone this runtime knows (checked with Intl, as the calendar uses it). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch (error) {
    // Intl signals an unknown zone with a RangeError; anything else is a real failure.
    if (error instanceof RangeError) return false;
    throw error;
  }
}

/**
 * The wall-clock time `instant` shows in `zone`, as "floating" milliseconds: a number whose UTC
 * fields are the local fields. Arithmetic on floating times ignores daylight-saving changes.
 */
export function toWallClock(instant: Date, zone: string): number {
  const local = DateTime.fromJSDate(instant, { zone });
  return Date.UTC(
    local.year,
    local.month - 1,
    local.day,
    local.hour,
    local.minute,
    local.second,
    local.millisecond,
  );
}

/**
 * The instant at which `zone` shows the floating wall-clock time `floating`. A time skipped by a
 * daylight-saving change moves forward by the gap (02:30 becomes 03:30); a repeated time is its
 * first occurrence (as cron runs it).
 */
export function fromWallClock(floating: number, zone: string): Date {
  const f = new Date(floating);
  const resolved = DateTime.fromObject(
    {
      year: f.getUTCFullYear(),
      month: f.getUTCMonth() + 1,
      day: f.getUTCDate(),
      hour: f.getUTCHours(),
      minute: f.getUTCMinutes(),
      second: f.getUTCSeconds(),
      millisecond: f.getUTCMilliseconds(),
    },
    { zone },
  ).toMillis();
  // Luxon resolves a repeated time to its later occurrence; the offset in force a day earlier
  // gives the earlier one when it shows the same wall-clock time.
  const offsetBefore = DateTime.fromMillis(resolved - DAY_MS, { zone }).offset;
  const earlier = floating - offsetBefore * 60_000;
  if (earlier < resolved && toWallClock(new Date(earlier), zone) === floating) return new Date(earlier);
  return new Date(resolved);
}
