import { createRequire } from "node:module";
import type * as RRuleModule from "rrule";
import type { RRuleSet as RRuleSetType } from "rrule";
import { toFloatingRRule } from "./rrule-text.js";
import { ScheduleError, type ScheduleWindow } from "./schedule-window.js";
import { fromWallClock, toWallClock } from "./time-zones.js";

// rrule ships a CommonJS bundle whose named exports Node's ESM loader cannot see; require it.
const { Frequency, RRule, RRuleSet, rrulestr } = createRequire(import.meta.url)(
  "rrule",
) as typeof RRuleModule;

/** An rrule schedule as the calendar reads it. */
export interface RRuleDefinition {
  readonly rrule: string;
  readonly timezone: string;
}

const DAY_MS = 86_400_000;
/** Sub-daily frequencies and their unit, for skipping ahead without walking every past occurrence. */
const UNIT_MS: Partial<Record<number, number>> = {
  [Frequency.HOURLY]: 3_600_000,
  [Frequency.MINUTELY]: 60_000,
  [Frequency.SECONDLY]: 1000,
};

/** Parses a checked rrule into a set in floating time (throws ScheduleError naming the problem). */
export function parseRRule(definition: RRuleDefinition): {
  set: RRuleSetType;
  zone: string;
  hasCount: boolean;
} {
  const floating = toFloatingRRule(definition.rrule, definition.timezone);
  try {
    const set = rrulestr(floating.text, { forceset: true }) as RRuleSetType;
    return { set, zone: floating.zone, hasCount: floating.hasCount };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ScheduleError("rrule", `invalid rrule: ${reason}`, { cause: error });
  }
}

/**
 * The times an rrule names in the window. Rules are expanded in floating wall-clock time, then
 * each time is read in the zone, so BYHOUR=9 stays 09:00 local across daylight-saving changes.
 */
export function rruleTimes(definition: RRuleDefinition, window: ScheduleWindow): Date[] {
  const parsed = parseRRule(definition);
  const { zone } = parsed;
  // A day of margin each side: local and real time differ by at most a day.
  const floatAfter = new Date(toWallClock(window.after, zone) - DAY_MS);
  const floatBefore = new Date(toWallClock(window.before, zone) + DAY_MS);
  const set = parsed.hasCount ? parsed.set : skipAhead(parsed.set, floatAfter);
  const times: Date[] = [];
  set.between(floatAfter, floatBefore, true, (floating) => {
    const t = fromWallClock(floating.getTime(), zone);
    if (t > window.before) return false;
    if (t >= window.after) times.push(t);
    return times.length < window.limit;
  });
  return times;
}

/**
 * A single sub-daily rule without COUNT repeats every INTERVAL units from DTSTART, so moving DTSTART
 * forward by whole steps names the same times; it spares walking every minute since 2020.
 */
function skipAhead(set: RRuleSetType, floatAfter: Date): RRuleSetType {
  const rules = set.rrules();
  const rule = rules[0];
  if (rules.length !== 1 || !(rule instanceof RRule) || set.exrules().length > 0) return set;
  const options = rule.origOptions;
  const unit = options.freq === undefined ? undefined : UNIT_MS[options.freq];
  if (!unit || !options.dtstart || options.bysetpos !== undefined) return set;
  const step = unit * (options.interval ?? 1);
  const steps = Math.floor((floatAfter.getTime() - options.dtstart.getTime()) / step);
  if (steps <= 1) return set;
  const shifted = new RRuleSet();
  shifted.rrule(new RRule({ ...options, dtstart: new Date(options.dtstart.getTime() + (steps - 1) * step) }));
  for (const date of set.rdates()) shifted.rdate(date);
  for (const date of set.exdates()) shifted.exdate(date);
  return shifted;
}
