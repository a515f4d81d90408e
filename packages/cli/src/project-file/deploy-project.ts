import type { Deployment, DeploymentUpsert } from "@sluice/contracts";
import type { Api } from "../connection.js";
import { isApiError, issuesOf } from "../errors.js";
import { toDeploymentUpsert, upsertIssuePathToEntryPath } from "./deployment-upsert.js";
import { readEntrypointFlow } from "./entrypoint.js";
import type { LoadedProjectFile } from "./load-project-file.js";
import { ProjectFileError, type ProjectFileIssue } from "./project-file-error.js";
import type { DeploymentEntry } from "./project-file-schema.js";
import { checkScheduleEntry } from "./schedule-check.js";

/** A deployment of the file ready to send: its index in the file and the upsert body. */
export interface PreparedDeployment {
  index: number;
  entry: DeploymentEntry;
  upsert: DeploymentUpsert;
}

async function checkPool(
  api: Api,
  entry: DeploymentEntry,
  at: (field: PropertyKey[], message: string) => ProjectFileIssue,
): Promise<ProjectFileIssue[]> {
  const pool = entry.workPool;
  if (!pool) return [];
  try {
    await api.call("readWorkPool", { params: { pool: pool.name } });
  } catch (error) {
    if (isApiError(error) && error.code === "work_pool_not_found") {
      return [
        at(
          ["workPool", "name"],
          `no work pool named "${pool.name}"; create it with \`sluice work-pool create ${pool.name} --type process\``,
        ),
      ];
    }
    throw error;
  }
  if (pool.queue === undefined) return [];
  try {
    await api.call("readWorkQueue", { params: { pool: pool.name, queue: pool.queue } });
  } catch (error) {
    if (isApiError(error) && error.code === "work_queue_not_found") {
      return [
        at(
          ["workPool", "queue"],
          `work pool "${pool.name}" has no queue named "${pool.queue}"; create it with \`sluice work-queue create ${pool.queue} --pool ${pool.name}\``,
        ),
      ];
    }
    throw error;
  }
  return [];
}

/**
 * Checks the chosen deployments of a file before anything is written: each entrypoint loads and
 * exports a flow, each schedule is one the server's calendar accepts, each work pool and queue
 * exists. Every problem of every deployment is reported together, positioned in the file.
 */
export async function prepareDeployments(
  api: Api,
  project: LoadedProjectFile,
  indexes: readonly number[],
): Promise<PreparedDeployment[]> {
  const issues: ProjectFileIssue[] = [];
  const prepared: PreparedDeployment[] = [];
  for (const index of indexes) {
    const entry = project.content.deployments[index];
    if (!entry) continue;
    const at = (field: PropertyKey[], message: string) =>
      project.issueAt(["deployments", index, ...field], message);
    const loaded = await readEntrypointFlow(project.directory, entry.entrypoint);
    if ("problem" in loaded) issues.push(at(["entrypoint"], loaded.problem));
    for (const [scheduleIndex, schedule] of (entry.schedules ?? []).entries()) {
      const problem = await checkScheduleEntry(schedule);
      if (problem) {
        const field = problem.field === "" ? [] : [problem.field];
        issues.push(at(["schedules", scheduleIndex, ...field], problem.message));
      }
    }
    issues.push(...(await checkPool(api, entry, at)));
    if ("flow" in loaded) {
      prepared.push({ index, entry, upsert: toDeploymentUpsert(entry, loaded.flow, project.directory) });
    }
  }
  if (issues.length > 0) throw new ProjectFileError(project.file, issues);
  return prepared;
}

/** Positions an error the server returned for the upsert of `prepared` in the file, when it can. */
export function positionServerError(
  project: LoadedProjectFile,
  prepared: PreparedDeployment,
  error: unknown,
): ProjectFileError | undefined {
  if (!isApiError(error)) return undefined;
  const base = ["deployments", prepared.index];
  if (error.code === "work_pool_not_found") {
    return new ProjectFileError(project.file, [
      project.issueAt([...base, "workPool", "name"], error.message),
    ]);
  }
  if (error.code === "work_queue_not_found") {
    return new ProjectFileError(project.file, [
      project.issueAt([...base, "workPool", "queue"], error.message),
    ]);
  }
  const issues = issuesOf(error);
  if (error.status !== 400 || issues.length === 0) return undefined;
  return new ProjectFileError(
    project.file,
    issues.map((issue) =>
      project.issueAt(
        [...base, ...upsertIssuePathToEntryPath(issue.path)],
        `${issue.message} (${error.code})`,
      ),
    ),
  );
}

/** Upserts one prepared deployment; a 4xx about a field becomes a positioned ProjectFileError. */
export async function upsertPreparedDeployment(
  api: Api,
  project: LoadedProjectFile,
  prepared: PreparedDeployment,
): Promise<Deployment> {
  try {
    return await api.call("upsertDeployment", { body: prepared.upsert });
  } catch (error) {
    throw positionServerError(project, prepared, error) ?? error;
  }
}
