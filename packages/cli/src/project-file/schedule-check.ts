import { toSchedule } from "./deployment-upsert.js";
import type { ScheduleEntry } from "./project-file-schema.js";

/** A schedule the server's calendar would refuse: the file field at fault and why. */
export interface ScheduleProblem {
  /** The entry's key: cron, rrule, timezone, interval or anchorDate. */
  field: string;
  message: string;
}

// The calendar names the API's fields; the file calls `seconds` `interval`.
const FILE_FIELDS: Record<string, string> = { seconds: "interval", kind: "" };

/**
 * Checks a schedule entry with the server's own calendar (`describeScheduleProblem`), so an invalid
 * cron, rrule or time zone is reported at its line before anything is sent.
 */
export async function checkScheduleEntry(entry: ScheduleEntry): Promise<ScheduleProblem | undefined> {
  const { describeScheduleProblem } = await import("@sluice/server");
  const problem = describeScheduleProblem(toSchedule(entry));
  if (!problem) return undefined;
  return { field: FILE_FIELDS[problem.field] ?? problem.field, message: problem.message };
}
