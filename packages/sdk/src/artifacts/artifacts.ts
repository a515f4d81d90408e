import type { Artifact, ArtifactCreate } from "@sluice/contracts";
import { randomUUID } from "node:crypto";
import { currentScope } from "../context/run-context.js";

/** Options shared by the artifact helpers. */
export interface ArtifactOptions {
  /** Lowercase letters, digits and dashes; artifacts sharing a key are versions of one (default: none). */
  key?: string;
  /** Shown with the artifact (default: none). */
  description?: string;
}

type ArtifactBody = unknown;

async function createArtifact(
  type: ArtifactCreate["type"],
  data: ArtifactBody,
  options: ArtifactOptions,
): Promise<Artifact> {
  const scope = currentScope();
  if (!scope) throw new Error("Artifacts are created inside a flow or task run");
  const { flowRun, taskRun } = scope;
  return flowRun.session.client.createArtifact({
    id: randomUUID(),
    type,
    data,
    key: options.key ?? null,
    description: options.description ?? null,
    flowRunId: flowRun.id,
    taskRunId: taskRun?.id ?? null,
  } as ArtifactCreate);
}

/** Creates a markdown artifact on the current flow or task run. */
export function createMarkdownArtifact(markdown: string, options: ArtifactOptions = {}): Promise<Artifact> {
  return createArtifact("markdown", { markdown }, options);
}

/** Creates a table artifact from a list of row objects (columns from their keys) or columns and rows. */
export function createTableArtifact(
  table: readonly Record<string, unknown>[] | { columns: string[]; rows: unknown[][] },
  options: ArtifactOptions = {},
): Promise<Artifact> {
  if (!Array.isArray(table)) return createArtifact("table", table, options);
  const rowsOfObjects = table as readonly Record<string, unknown>[];
  const columns = [...new Set(rowsOfObjects.flatMap((row) => Object.keys(row)))];
  const rows = rowsOfObjects.map((row) => columns.map((column) => row[column] ?? null));
  return createArtifact("table", { columns, rows }, options);
}

/** Creates a link artifact. */
export function createLinkArtifact(
  url: string,
  text?: string,
  options: ArtifactOptions = {},
): Promise<Artifact> {
  return createArtifact("link", text === undefined ? { url } : { url, text }, options);
}

/** Creates a progress artifact (0 to 100); update it with `updateProgressArtifact`. */
export function createProgressArtifact(progress: number, options: ArtifactOptions = {}): Promise<Artifact> {
  return createArtifact("progress", { progress }, options);
}

/** Sets a progress artifact's value (0 to 100). */
export async function updateProgressArtifact(artifactId: string, progress: number): Promise<Artifact> {
  const scope = currentScope();
  if (!scope) throw new Error("Artifacts are updated inside a flow or task run");
  return scope.flowRun.session.client.call("updateArtifact", {
    params: { id: artifactId },
    body: { data: { progress } },
  });
}
