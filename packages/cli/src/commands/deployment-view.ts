import type { Deployment, DeploymentSchedule, FlowRun, Schedule } from "@sluice/contracts";
import type { Api } from "../connection.js";
import { UsageError } from "../errors.js";
import { formatFields, formatTime, type Column } from "../output.js";
import { requireId } from "../params.js";
import { formatEvery } from "../project-file/duration.js";

/** A deployment's address: `flow/deployment`. */
export function deploymentAddress(deployment: Pick<Deployment, "flowName" | "name">): string {
  return `${deployment.flowName}/${deployment.name}`;
}

/** A schedule in words: `cron "0 3 * * *" (America/New_York)`, `every 1h (UTC)`, `rrule "..." (UTC)`. */
export function describeSchedule(schedule: Schedule): string {
  switch (schedule.kind) {
    case "cron":
      return `cron "${schedule.cron}" (${schedule.timezone}${schedule.dayOr ? "" : ", day-of-month and day-of-week"})`;
    case "interval":
      return `${formatEvery(schedule.seconds)} (${schedule.timezone}${schedule.anchorDate ? `, from ${formatTime(schedule.anchorDate)}` : ""})`;
    case "rrule":
      return `rrule "${schedule.rrule}" (${schedule.timezone})`;
  }
}

function describeDeploymentSchedule(schedule: DeploymentSchedule): string {
  const params = Object.keys(schedule.parameters).length
    ? ` with ${JSON.stringify(schedule.parameters)}`
    : "";
  return `${describeSchedule(schedule.schedule)}${params}${schedule.active ? "" : " [inactive]"}`;
}

/** The work pool and queue a deployment's runs go to, as "pool / queue". */
export function describePool(deployment: Deployment): string {
  if (!deployment.workPoolName) return "-";
  return `${deployment.workPoolName} / ${deployment.workQueueName ?? "default queue"}`;
}

/** Columns of `deployment ls`. */
export const DEPLOYMENT_COLUMNS: Column<Deployment>[] = [
  { header: "name", value: deploymentAddress, maxWidth: 50 },
  { header: "id", value: (d) => d.id },
  {
    header: "work pool",
    value: (d) => (d.workPoolName ? `${d.workPoolName}/${d.workQueueName ?? "default"}` : "-"),
  },
  {
    header: "schedules",
    value: (d) => d.schedules.map((s) => describeSchedule(s.schedule)).join("; ") || "-",
    maxWidth: 50,
  },
  { header: "paused", value: (d) => (d.paused ? "yes" : "no") },
  { header: "updated", value: (d) => formatTime(d.updatedAt) },
];

/** Lines listing the next runs, or saying there are none yet. */
export function formatUpcomingRuns(runs: readonly FlowRun[]): string[] {
  if (runs.length === 0) return ["(none scheduled yet)"];
  return runs.map(
    (run) => `${formatTime(run.nextScheduledStartTime ?? run.expectedStartTime)} UTC  ${run.name}`,
  );
}

/** The deployment's next SCHEDULED runs, earliest first. */
export async function readUpcomingRuns(api: Api, deploymentId: string, limit = 3): Promise<FlowRun[]> {
  const page = await api.call("filterFlowRuns", {
    body: {
      deploymentIds: [deploymentId],
      stateTypes: ["SCHEDULED"],
      sort: "EXPECTED_START_TIME_ASC",
      limit,
    },
  });
  return page.items;
}

function indent(lines: readonly string[]): string {
  return lines.map((line) => `  ${line}`).join("\n");
}

/** Human view of a deployment: settings, schedules and next runs. */
export function formatDeployment(deployment: Deployment, upcoming: readonly FlowRun[]): string {
  const fields: [string, string][] = [
    ["Deployment", `${deploymentAddress(deployment)} (${deployment.id})`],
    [
      "Entrypoint",
      deployment.path ? `${deployment.entrypoint} in ${deployment.path}` : deployment.entrypoint,
    ],
    ["Work pool", describePool(deployment)],
    ["Paused", deployment.paused ? "yes" : "no"],
    ["Version", deployment.version ?? "-"],
    ["Tags", deployment.tags.length ? deployment.tags.join(", ") : "-"],
    [
      "Concurrency",
      deployment.concurrencyLimit === null
        ? "no limit"
        : `${deployment.concurrencyLimit} at once, then ${deployment.collisionStrategy}`,
    ],
    [
      "Late runs",
      deployment.lateRunPolicy.mode === "SKIP_LATE"
        ? `SKIP_LATE after ${deployment.lateRunPolicy.thresholdSeconds}s`
        : deployment.lateRunPolicy.mode,
    ],
    ["Crash retries", String(deployment.crashRetries)],
    ["Parameter schema", deployment.enforceParameterSchema ? "enforced" : "not enforced"],
  ];
  if (deployment.description) fields.push(["Description", deployment.description]);
  const params = Object.keys(deployment.parameters).length ? JSON.stringify(deployment.parameters) : "(none)";
  const schedules = deployment.schedules.map(describeDeploymentSchedule);
  return [
    formatFields(fields),
    "",
    `Default parameters: ${params}`,
    "Schedules:",
    indent(schedules.length ? schedules : ["(none)"]),
    "Next runs:",
    indent(formatUpcomingRuns(upcoming)),
  ].join("\n");
}

/** Parses `FLOW/DEPLOYMENT` (the deployment name is after the last slash) or an id. */
export function parseDeploymentRef(ref: string): { id: string } | { flowName: string; name: string } {
  const slash = ref.lastIndexOf("/");
  if (slash > 0 && slash < ref.length - 1)
    return { flowName: ref.slice(0, slash), name: ref.slice(slash + 1) };
  if (slash === -1 && /^[0-9a-f-]{36}$/i.test(ref)) return { id: requireId(ref, "deployment") };
  throw new UsageError(
    `invalid deployment "${ref}": expected FLOW/DEPLOYMENT (for example etl/nightly) or an id`,
  );
}

/** Reads a deployment by `FLOW/DEPLOYMENT` or id (deployment_not_found when unknown). */
export async function readDeploymentRef(api: Api, ref: string): Promise<Deployment> {
  const parsed = parseDeploymentRef(ref);
  if ("id" in parsed) return api.call("readDeployment", { params: { id: parsed.id } });
  return api.call("readDeploymentByName", { params: parsed });
}
