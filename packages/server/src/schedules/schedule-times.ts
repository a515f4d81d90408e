import type { ScheduleInput } from "@sluice/contracts";
import { cronTimes, parseCron } from "./cron-times.js";
import { intervalTimes } from "./interval-times.js";
import { parseRRule, rruleTimes } from "./rrule-times.js";
import { ScheduleError, type ScheduleWindow } from "./schedule-window.js";
import { isKnownTimeZone } from "./time-zones.js";

/** What is wrong with a schedule: the field at fault (cron, rrule, timezone, anchorDate) and why. */
export interface ScheduleProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * The times a schedule names in [after, before], earliest first, at most `limit`.
 * Throws ScheduleError for a schedule describeScheduleProblem finds fault with.
 *
 * @example
 * computeScheduleTimes({ kind: "cron", cron: "0 9 * * MON-FRI", timezone: "Europe/Berlin" },
 *   { after: new Date(), before: new Date(Date.now() + 7 * 86_400_000), limit: 10 });
 */
export function computeScheduleTimes(schedule: ScheduleInput, window: ScheduleWindow): Date[] {
  if (window.limit <= 0 || window.before < window.after) return [];
  const timezone = checkedTimeZone(schedule.timezone);
  switch (schedule.kind) {
    case "cron":
      return cronTimes({ cron: schedule.cron, timezone, dayOr: schedule.dayOr ?? true }, window);
    case "interval":
      return intervalTimes({ seconds: schedule.seconds, anchorDate: schedule.anchorDate, timezone }, window);
    case "rrule":
      return rruleTimes({ rrule: schedule.rrule, timezone }, window);
  }
}

/**
 * Why a schedule cannot be used (an invalid cron expression or rrule, an unknown time zone, a cron
 * expression that never matches), or undefined when it is fine. The CLI maps `field` to a line
 * of sluice.yaml; the server answers 400 invalid_schedule with it.
 */
export function describeScheduleProblem(schedule: ScheduleInput): ScheduleProblem | undefined {
  try {
    const timezone = checkedTimeZone(schedule.timezone);
    switch (schedule.kind) {
      case "cron":
        if (parseCron({ cron: schedule.cron, timezone, dayOr: schedule.dayOr ?? true }).nextRun() === null) {
          return {
            field: "cron",
            message: `the cron expression "${schedule.cron}" never matches a future time`,
          };
        }
        return undefined;
      case "interval":
        if (schedule.anchorDate !== undefined && Number.isNaN(Date.parse(schedule.anchorDate))) {
          return {
            field: "anchorDate",
            message: `invalid anchorDate "${schedule.anchorDate}": expected an ISO timestamp`,
          };
        }
        return undefined;
      case "rrule":
        parseRRule({ rrule: schedule.rrule, timezone });
        return undefined;
    }
  } catch (error) {
    // The calendar's checks throw ScheduleError; those become the answer, anything else is a bug.
    if (error instanceof ScheduleError) return { field: error.field, message: error.message };
    throw error;
  }
}

function checkedTimeZone(timezone: string | undefined): string {
  const zone = timezone ?? "UTC";
  if (!isKnownTimeZone(zone)) {
    throw new ScheduleError(
      "timezone",
      `unknown time zone "${zone}": use an IANA name such as "Europe/Berlin", "America/New_York" or "UTC"`,
    );
  }
  return zone;
}
