import { isKnownTimeZone, toWallClock } from "./time-zones.js";
import { DEFAULT_ANCHOR_WALL_CLOCK, ScheduleError } from "./schedule-window.js";

/** An rrule rewritten in floating wall-clock time, with the zone its times are read in. */
export interface FloatingRRule {
  /** DTSTART, RRULE, EXRULE, RDATE and EXDATE lines, every time floating (no Z, no TZID). */
  readonly text: string;
  readonly zone: string;
  readonly hasCount: boolean;
}

const FREQUENCIES = new Set(["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY"]);
const WEEKDAY = "(MO|TU|WE|TH|FR|SA|SU)";
const DATE_TIME = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2}))?(Z?)$/;

/** Integer lists with their allowed magnitudes (negative values count from the end). */
const INTEGER_LISTS: Record<string, { min: number; max: number; signed: boolean }> = {
  BYSECOND: { min: 0, max: 60, signed: false },
  BYMINUTE: { min: 0, max: 59, signed: false },
  BYHOUR: { min: 0, max: 23, signed: false },
  BYMONTH: { min: 1, max: 12, signed: false },
  BYMONTHDAY: { min: 1, max: 31, signed: true },
  BYYEARDAY: { min: 1, max: 366, signed: true },
  BYWEEKNO: { min: 1, max: 53, signed: true },
  BYSETPOS: { min: 1, max: 366, signed: true },
};

const problem = (message: string) => new ScheduleError("rrule", message);

/**
 * Checks an RFC 5545 recurrence (RRULE lines, optional DTSTART, RDATE, EXDATE, EXRULE) and rewrites
 * it in floating time. The zone is DTSTART's TZID when given, else `timezone`. Without DTSTART the
 * rule starts 2020-01-01 00:00 local; COUNT then needs a DTSTART, or it would count from 2020.
 */
export function toFloatingRRule(rrule: string, timezone: string): FloatingRRule {
  const lines = rrule
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  if (lines.length === 0) throw problem("the rrule is empty; expected for example FREQ=DAILY;BYHOUR=9");
  const dtstart = lines.filter((line) => /^DTSTART[;:]/i.test(line));
  if (dtstart.length > 1) throw problem("an rrule has at most one DTSTART line");
  const start = dtstart[0] ? parseDtstart(dtstart[0], timezone) : undefined;
  const zone = start?.zone ?? timezone;
  const out = [`DTSTART:${formatFloating(start?.wall ?? DEFAULT_ANCHOR_WALL_CLOCK)}`];
  let hasCount = false;
  let rules = 0;
  for (const line of lines) {
    if (line === dtstart[0]) continue;
    const [name, value] = splitLine(line);
    if (name === "RRULE" || name === "EXRULE") {
      const parts = checkRulePart(value, zone);
      hasCount ||= name === "RRULE" && parts.hasCount;
      if (name === "RRULE") rules += 1;
      out.push(`${name}:${parts.text}`);
    } else if (name === "RDATE" || name === "EXDATE") {
      out.push(`${name}:${floatingDateList(name, value, zone)}`);
    } else {
      throw problem(`unknown rrule line "${line}": expected DTSTART, RRULE, RDATE, EXDATE or EXRULE`);
    }
  }
  if (rules === 0) throw problem("the rrule has no RRULE; expected for example FREQ=DAILY;BYHOUR=9");
  if (hasCount && !start) {
    throw problem("COUNT needs a DTSTART line (for example DTSTART:20250101T090000): it counts from there");
  }
  return { text: out.join("\n"), zone, hasCount };
}

/** A line's name and value; a bare `FREQ=...` line is an RRULE. Parameters (`;TZID=...`) stay in the value. */
function splitLine(line: string): [string, string] {
  const match = /^([A-Za-z]+)([;:])(.*)$/.exec(line);
  const head = match?.[1]?.toUpperCase();
  if (match && head && ["RRULE", "EXRULE", "RDATE", "EXDATE"].includes(head)) {
    return [head, match[2] === ";" ? `;${match[3] ?? ""}` : (match[3] ?? "")];
  }
  return ["RRULE", line];
}

function parseDtstart(line: string, timezone: string): { wall: number; zone: string } {
  const match = /^DTSTART(?:;TZID=([^:;]+))?(?:;VALUE=DATE(?:-TIME)?)?:(.+)$/i.exec(line);
  if (!match)
    throw problem(
      `invalid DTSTART "${line}": expected DTSTART:20250101T090000 or DTSTART;TZID=Europe/Berlin:...`,
    );
  const tzid = match[1];
  if (tzid !== undefined && !isKnownTimeZone(tzid)) {
    throw new ScheduleError(
      "rrule",
      `unknown time zone "${tzid}" in DTSTART: use an IANA name such as "Europe/Berlin"`,
    );
  }
  const zone = tzid ?? timezone;
  return { wall: wallClockOf(match[2] ?? "", zone, "DTSTART"), zone };
}

/** A DATE or DATE-TIME value as floating wall-clock ms in `zone` (a trailing Z is converted). */
function wallClockOf(value: string, zone: string, what: string): number {
  const m = DATE_TIME.exec(value.trim());
  if (!m)
    throw problem(`invalid ${what} "${value}": expected YYYYMMDD or YYYYMMDDTHHMMSS, optionally ending in Z`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? 0));
  const wall = Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0, second ?? 0);
  const check = new Date(wall);
  if (check.getUTCMonth() !== (month ?? 1) - 1 || check.getUTCDate() !== day || (hour ?? 0) > 23) {
    throw problem(`invalid ${what} "${value}": no such date or time`);
  }
  return m[7] === "Z" ? toWallClock(new Date(wall), zone) : wall;
}

function formatFloating(wall: number): string {
  return new Date(wall).toISOString().replace(/[-:]/g, "").slice(0, 15);
}

function floatingDateList(name: string, value: string, zone: string): string {
  // Parameters (TZID, VALUE) are dropped: the values are read in the rule's zone.
  const list = value.startsWith(";") ? value.slice(value.indexOf(":") + 1) : value;
  return list
    .split(",")
    .map((v) => formatFloating(wallClockOf(v, zone, name)))
    .join(",");
}

function checkRulePart(value: string, zone: string): { text: string; hasCount: boolean } {
  const seen = new Map<string, string>();
  for (const pair of value.split(";").filter((p) => p.length > 0)) {
    const [rawKey, raw, ...rest] = pair.split("=");
    const key = (rawKey ?? "").toUpperCase();
    if (raw === undefined || rest.length > 0 || raw === "")
      throw problem(`invalid rrule part "${pair}": expected KEY=VALUE`);
    if (seen.has(key)) throw problem(`rrule part ${key} appears twice`);
    seen.set(key, checkPart(key, raw.toUpperCase(), zone));
  }
  const freq = seen.get("FREQ");
  if (!freq)
    throw problem(
      `the rule "${value}" has no FREQ (YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY, MINUTELY or SECONDLY)`,
    );
  if (seen.has("COUNT") && seen.has("UNTIL")) throw problem("an rrule has COUNT or UNTIL, not both");
  const text = [...seen].map(([k, v]) => `${k}=${v}`).join(";");
  return { text, hasCount: seen.has("COUNT") };
}

/** Checks one KEY=VALUE of a rule; answers the value to keep (UNTIL rewritten in floating time). */
function checkPart(key: string, value: string, zone: string): string {
  const positive = (what: string) => {
    if (!/^[1-9]\d{0,8}$/.test(value))
      throw problem(`${what}=${value}: expected a whole number of at least 1`);
    return value;
  };
  switch (key) {
    case "FREQ":
      if (!FREQUENCIES.has(value)) throw problem(`FREQ=${value}: expected ${[...FREQUENCIES].join(", ")}`);
      return value;
    case "INTERVAL":
    case "COUNT":
      return positive(key);
    case "UNTIL":
      return formatFloating(wallClockOf(value, zone, "UNTIL"));
    case "WKST":
      if (!new RegExp(`^${WEEKDAY}$`).test(value))
        throw problem(`WKST=${value}: expected MO, TU, WE, TH, FR, SA or SU`);
      return value;
    case "BYDAY":
      for (const day of value.split(",")) {
        if (!new RegExp(`^([+-]?[1-9]\\d?)?${WEEKDAY}$`).test(day)) {
          throw problem(`BYDAY=${value}: "${day}" is not a weekday such as MO, -1FR or 2TU`);
        }
      }
      return value;
    default:
      return checkIntegerList(key, value);
  }
}

function checkIntegerList(key: string, value: string): string {
  const range = INTEGER_LISTS[key];
  if (!range) throw problem(`unknown rrule part ${key}`);
  for (const item of value.split(",")) {
    const n = /^[+-]?\d+$/.test(item) ? Number(item) : Number.NaN;
    const magnitude = Math.abs(n);
    const fits =
      Number.isInteger(n) && magnitude >= range.min && magnitude <= range.max && (range.signed || n >= 0);
    if (!fits || (range.signed && n === 0)) {
      const allowed = range.signed
        ? `${range.min} to ${range.max} or -${range.max} to -${range.min}`
        : `${range.min} to ${range.max}`;
      throw problem(`${key}=${value}: "${item}" is outside ${allowed}`);
    }
  }
  return value;
}
