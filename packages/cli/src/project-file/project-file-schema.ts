/**
 * The schema of `sluice.yaml` (documented in docs/sluice-yaml.md). Every object is strict: an unknown
 * key is an error naming the keys allowed there. Keys are camelCase, like the API.
 */
import {
  CollisionStrategy,
  DeploymentName,
  JsonObject,
  ResourceName,
  Tag,
  Timestamp,
  TimeZone,
} from "@sluice/contracts";
import { z } from "zod";
import { parseIsoDuration } from "./duration.js";

/** A strict object whose unknown-key error lists the keys allowed there. */
function strict<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}; allowed here: ${allowed}`
        : undefined,
  });
}

const MAX_INTERVAL_SECONDS = 366 * 86_400;

/** Seconds, or an ISO-8601 duration such as PT1H; becomes seconds. */
const Interval = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const seconds = typeof value === "number" ? value : parseIsoDuration(value);
  if (seconds === undefined) {
    ctx.issues.push({
      code: "custom",
      input: value,
      message: `"${value}" is not an interval: give seconds (3600) or an ISO-8601 duration (PT1H, P1D, PT90S)`,
    });
    return z.NEVER;
  }
  if (!(seconds > 0) || seconds > MAX_INTERVAL_SECONDS) {
    ctx.issues.push({
      code: "custom",
      input: value,
      message: `an interval must be more than 0 and at most 366 days (got ${seconds} s)`,
    });
    return z.NEVER;
  }
  return seconds;
});

const scheduleCommon = {
  timezone: TimeZone.optional(),
  /** Merged over the deployment's parameters for the runs of this schedule. */
  parameters: JsonObject.optional(),
  active: z.boolean().optional(),
};

export const CronEntry = strict({
  cron: z.string().min(1),
  dayOr: z.boolean().optional(),
  ...scheduleCommon,
});
export const IntervalEntry = strict({
  interval: Interval,
  anchorDate: Timestamp.optional(),
  ...scheduleCommon,
});
export const RRuleEntry = strict({ rrule: z.string().min(1).max(6500), ...scheduleCommon });

const SCHEDULE_KINDS = { cron: CronEntry, interval: IntervalEntry, rrule: RRuleEntry } as const;
type ScheduleKind = keyof typeof SCHEDULE_KINDS;

/** One schedule entry, told apart by which of `cron`, `interval` or `rrule` it has. */
export const ScheduleEntry = z.unknown().transform((value, ctx) => {
  const kinds =
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? (Object.keys(SCHEDULE_KINDS) as ScheduleKind[]).filter((kind) => kind in value)
      : [];
  const kind = kinds[0];
  if (kind === undefined || kinds.length > 1) {
    ctx.issues.push({
      code: "custom",
      input: value,
      message:
        kinds.length > 1
          ? `a schedule has exactly one of cron, interval or rrule, not ${kinds.join(" and ")}`
          : "a schedule needs one of cron, interval or rrule",
    });
    return z.NEVER;
  }
  const parsed = SCHEDULE_KINDS[kind].safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.issues.push({ ...issue, input: value } as never);
    return z.NEVER;
  }
  return parsed.data;
});
export type ScheduleEntry = z.output<typeof ScheduleEntry>;

export const LateRunsEntry = strict({
  policy: z.enum(["RUN_ALL", "RUN_LATEST", "SKIP_LATE"]),
  thresholdSeconds: z.number().int().min(0).max(31_536_000).optional(),
}).superRefine((value, ctx) => {
  if (value.policy === "SKIP_LATE" && value.thresholdSeconds === undefined) {
    ctx.addIssue({ code: "custom", path: ["thresholdSeconds"], message: "SKIP_LATE needs thresholdSeconds" });
  }
  if (value.policy !== "SKIP_LATE" && value.thresholdSeconds !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["thresholdSeconds"],
      message: `thresholdSeconds applies only to SKIP_LATE, not ${value.policy}`,
    });
  }
});

export const WorkPoolEntry = strict({
  name: ResourceName,
  /** Default: the pool's default queue. */
  queue: ResourceName.optional(),
  jobVariables: JsonObject.optional(),
});

const ENTRYPOINT = /^.+\.(?:[cm]?[jt]s|tsx|jsx):[A-Za-z_$][\w$]*$/;

export const DeploymentEntry = strict({
  name: DeploymentName,
  entrypoint: z.string().regex(ENTRYPOINT, "expected <file.ts>:<exportedFlow>, for example flows/etl.ts:etl"),
  description: z.string().max(10_000).optional(),
  version: z.string().max(200, "at most 200 characters").optional(),
  tags: z.array(Tag).max(100).optional(),
  parameters: JsonObject.optional(),
  enforceParameterSchema: z.boolean().optional(),
  workPool: WorkPoolEntry.optional(),
  schedules: z.array(ScheduleEntry).max(100).optional(),
  concurrencyLimit: z.number().int().min(1).optional(),
  collisionStrategy: CollisionStrategy.optional(),
  lateRuns: LateRunsEntry.optional(),
  crashRetries: z.number().int().min(0).max(100).optional(),
  paused: z.boolean().optional(),
});
export type DeploymentEntry = z.output<typeof DeploymentEntry>;

export const ProjectFileSchema = strict({
  /** A place for YAML anchors reused below; ignored otherwise. */
  definitions: z.unknown().optional(),
  deployments: z.array(DeploymentEntry).min(1, "list at least one deployment"),
}).superRefine((file, ctx) => {
  const seen = new Map<string, number>();
  file.deployments.forEach((deployment, index) => {
    const first = seen.get(deployment.name);
    if (first !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["deployments", index, "name"],
        message: `"${deployment.name}" is already the name of deployments[${first}]`,
      });
    } else seen.set(deployment.name, index);
  });
});
export type ProjectFile = z.output<typeof ProjectFileSchema>;
