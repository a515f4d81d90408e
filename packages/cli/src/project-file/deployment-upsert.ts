import type { DeploymentScheduleCreate, DeploymentUpsert, ScheduleInput } from "@sluice/contracts";
import type { EntrypointFlow } from "./entrypoint.js";
import type { DeploymentEntry, ScheduleEntry } from "./project-file-schema.js";

/** The API's schedule for a file entry (defaults left to the server: timezone UTC, dayOr true). */
export function toSchedule(entry: ScheduleEntry): ScheduleInput {
  const timezone = entry.timezone !== undefined ? { timezone: entry.timezone } : {};
  if ("cron" in entry) {
    return {
      kind: "cron",
      cron: entry.cron,
      ...timezone,
      ...(entry.dayOr !== undefined ? { dayOr: entry.dayOr } : {}),
    };
  }
  if ("interval" in entry) {
    return {
      kind: "interval",
      seconds: entry.interval,
      ...timezone,
      ...(entry.anchorDate !== undefined ? { anchorDate: entry.anchorDate } : {}),
    };
  }
  return { kind: "rrule", rrule: entry.rrule, ...timezone };
}

function toScheduleCreate(entry: ScheduleEntry): DeploymentScheduleCreate {
  return {
    schedule: toSchedule(entry),
    active: entry.active ?? true,
    parameters: entry.parameters ?? {},
  };
}

/**
 * The upsert `sluice deploy` sends for a file entry. Every setting is sent, defaults included, so a
 * key removed from the file goes back to its default on the server, and a schedule removed is removed.
 */
export function toDeploymentUpsert(
  entry: DeploymentEntry,
  flow: EntrypointFlow,
  directory: string,
): DeploymentUpsert {
  return {
    flowName: flow.flowName,
    name: entry.name,
    description: entry.description ?? null,
    version: entry.version ?? null,
    tags: entry.tags ?? [],
    entrypoint: entry.entrypoint,
    path: directory,
    parameters: entry.parameters ?? {},
    parameterSchema: flow.parameterSchema,
    enforceParameterSchema: entry.enforceParameterSchema ?? true,
    workPoolName: entry.workPool?.name ?? null,
    workQueueName: entry.workPool?.queue ?? null,
    jobVariables: entry.workPool?.jobVariables ?? {},
    concurrencyLimit: entry.concurrencyLimit ?? null,
    collisionStrategy: entry.collisionStrategy ?? "ENQUEUE",
    lateRunPolicy:
      entry.lateRuns?.policy === "SKIP_LATE"
        ? { mode: "SKIP_LATE", thresholdSeconds: entry.lateRuns.thresholdSeconds ?? 0 }
        : { mode: entry.lateRuns?.policy ?? "RUN_ALL" },
    crashRetries: entry.crashRetries ?? 0,
    paused: entry.paused ?? false,
    schedules: (entry.schedules ?? []).map(toScheduleCreate),
  };
}

// API field -> file path, for the fields whose names differ.
const RENAMED: Record<string, PropertyKey[]> = {
  workPoolName: ["workPool", "name"],
  workQueueName: ["workPool", "queue"],
  jobVariables: ["workPool", "jobVariables"],
  lateRunPolicy: ["lateRuns"],
  flowName: ["entrypoint"],
  parameterSchema: ["entrypoint"],
  path: ["entrypoint"],
};
const SCHEDULE_FIELDS: Record<string, string> = { seconds: "interval", kind: "" };

/**
 * Turns the path of an issue the server reported for an upsert (`body.schedules.0.schedule.cron`)
 * into the path of the field in the deployment's file entry (`schedules[0].cron`).
 */
export function upsertIssuePathToEntryPath(issuePath: string): PropertyKey[] {
  const parts = issuePath.split(".").filter((part) => part !== "");
  if (parts[0] === "body") parts.shift();
  const [head, ...rest] = parts;
  if (head === undefined) return [];
  const segments = rest.map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  if (head === "schedules") {
    const [index, group, field, ...more] = segments;
    if (typeof index !== "number") return ["schedules"];
    if (group !== "schedule" || field === undefined) {
      return [
        "schedules",
        index,
        ...(group !== undefined ? [group] : []),
        ...(field !== undefined ? [field] : []),
        ...more,
      ];
    }
    const renamed = SCHEDULE_FIELDS[String(field)] ?? String(field);
    return ["schedules", index, ...(renamed ? [renamed] : []), ...more];
  }
  const renamed = RENAMED[head];
  if (renamed) return head === "jobVariables" ? [...renamed, ...segments] : renamed;
  return [head, ...segments];
}
