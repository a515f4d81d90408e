import { z } from "zod";
import { JsonObject, Timestamp } from "./common.js";

/** An IANA time zone name, for example "America/New_York" (checked by the server's calendar). */
export const TimeZone = z.string().min(1).max(100);

/** Runs at the times a five-field cron expression names, in `timezone` (default UTC). */
export const CronSchedule = z.strictObject({
  kind: z.literal("cron"),
  cron: z.string().min(1).max(200),
  timezone: TimeZone.default("UTC"),
  /** When both day-of-month and day-of-week are restricted: true runs on either (cron's rule), false on both. */
  dayOr: z.boolean().default(true),
});

/**
 * Runs every `seconds`, counted from `anchorDate` (default 2020-01-01T00:00:00 in `timezone`).
 * Intervals of a day or more keep their wall-clock time across daylight-saving changes.
 */
export const IntervalSchedule = z.strictObject({
  kind: z.literal("interval"),
  seconds: z
    .number()
    .positive()
    .max(366 * 86_400),
  anchorDate: Timestamp.optional(),
  timezone: TimeZone.default("UTC"),
});

/** Runs at the times an iCalendar RRULE names (COUNT and UNTIL supported), in `timezone`. */
export const RRuleSchedule = z.strictObject({
  kind: z.literal("rrule"),
  rrule: z.string().min(1).max(6500),
  timezone: TimeZone.default("UTC"),
});

/** When a deployment runs. */
export const Schedule = z.discriminatedUnion("kind", [CronSchedule, IntervalSchedule, RRuleSchedule]);
export type Schedule = z.infer<typeof Schedule>;
export type ScheduleInput = z.input<typeof Schedule>;

/** A schedule of a deployment, with its own parameters (merged over the deployment's) and switch. */
export const DeploymentSchedule = z.object({
  id: z.uuid(),
  schedule: Schedule,
  active: z.boolean(),
  parameters: JsonObject,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type DeploymentSchedule = z.infer<typeof DeploymentSchedule>;

/** A schedule as declared in sluice.yaml or sent by `sluice deploy`. */
export const DeploymentScheduleCreate = z.strictObject({
  schedule: Schedule,
  active: z.boolean().default(true),
  parameters: JsonObject.default({}),
});
export type DeploymentScheduleCreate = z.input<typeof DeploymentScheduleCreate>;
