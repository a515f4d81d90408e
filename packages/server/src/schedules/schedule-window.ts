/** Which occurrences to compute: those in [after, before], at most `limit`, earliest first. */
export interface ScheduleWindow {
  readonly after: Date;
  readonly before: Date;
  readonly limit: number;
}

/** The default anchor of interval schedules and start of rrules without DTSTART: 2020-01-01 00:00 local. */
export const DEFAULT_ANCHOR_WALL_CLOCK = Date.UTC(2020, 0, 1);

/** A schedule the calendar cannot compute; `field` names the schedule field at fault. */
export class ScheduleError extends Error {
  override readonly name = "ScheduleError";
  constructor(
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
