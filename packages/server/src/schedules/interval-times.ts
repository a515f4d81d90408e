import { fromWallClock, toWallClock } from "./time-zones.js";
import { DEFAULT_ANCHOR_WALL_CLOCK, type ScheduleWindow } from "./schedule-window.js";

/** An interval schedule as the calendar reads it. */
export interface IntervalDefinition {
  readonly seconds: number;
  readonly anchorDate?: string | undefined;
  readonly timezone: string;
}

const DAY_MS = 86_400_000;

/**
 * The times of an interval schedule in the window. The anchor fixes the phase (times before it
 * exist too, as in Prefect). Intervals under a day are exact durations; a day or more keeps the
 * anchor's wall-clock time across daylight-saving changes (every 24 h at 09:00 stays at 09:00).
 */
export function intervalTimes(definition: IntervalDefinition, window: ScheduleWindow): Date[] {
  const stepMs = Math.max(1, Math.round(definition.seconds * 1000));
  const zone = definition.timezone;
  const anchor = definition.anchorDate
    ? new Date(definition.anchorDate)
    : fromWallClock(DEFAULT_ANCHOR_WALL_CLOCK, zone);
  return stepMs < DAY_MS
    ? exactTimes(anchor.getTime(), stepMs, window)
    : wallClockTimes(toWallClock(anchor, zone), stepMs, zone, window);
}

function exactTimes(anchorMs: number, stepMs: number, window: ScheduleWindow): Date[] {
  const times: Date[] = [];
  const before = window.before.getTime();
  let k = Math.ceil((window.after.getTime() - anchorMs) / stepMs);
  for (
    let t = anchorMs + k * stepMs;
    t <= before && times.length < window.limit;
    t = anchorMs + ++k * stepMs
  ) {
    times.push(new Date(t));
  }
  return times;
}

function wallClockTimes(anchorWall: number, stepMs: number, zone: string, window: ScheduleWindow): Date[] {
  const times: Date[] = [];
  const after = window.after.getTime();
  const before = window.before.getTime();
  // Start one step early: a wall-clock step maps to 23 to 25 real hours around a DST change.
  let k = Math.floor((toWallClock(window.after, zone) - anchorWall) / stepMs) - 1;
  while (times.length < window.limit) {
    const t = fromWallClock(anchorWall + k * stepMs, zone).getTime();
    if (t > before) break;
    if (t >= after) times.push(new Date(t));
    k += 1;
  }
  return times;
}
