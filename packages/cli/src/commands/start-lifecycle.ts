import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SluiceClient } from "@sluice/client";
import { flowRunPageUrl, LinkData, type Artifact, type FlowRun } from "@sluice/contracts";
import { prepareDeployments, upsertPreparedDeployment } from "../project-file/deploy-project.js";
import { loadProjectFile } from "../project-file/load-project-file.js";
import { templateLookup } from "../project-file/template-lookup.js";
import { formatState, printLine, printNote, shouldColor } from "../output.js";
import { unlessMissing } from "../unless-missing.js";
import { deploymentAddress } from "./deployment-view.js";

/** The example pipeline's project file, at the repository root (same depth from src/ and dist/). */
export const LIFECYCLE_PROJECT = fileURLToPath(
  new URL("../../../../examples/build-lifecycle/sluice.yaml", import.meta.url),
);

/** The two buckets of the pipeline, as local-file-system blocks in embedded mode. */
const BUCKETS = ["edm-recipes", "edm-publishing"] as const;

/** Variables the project file reads the pipeline's storage blocks from (s3-bucket/... under compose). */
const STORAGE_VARIABLES = {
  "edm-recipes": "lifecycle_recipes_storage",
  "edm-publishing": "lifecycle_publishing_storage",
} as const;

const TERMINAL = new Set(["COMPLETED", "FAILED", "CRASHED", "CANCELLED"]);

/**
 * Points the pipeline at directories in SLUICE_HOME, unless the variables already name other storage
 * (an operator's s3-bucket blocks are left alone).
 */
async function ensureEmbeddedStorage(api: SluiceClient, home: string): Promise<Record<string, string>> {
  const directories: Record<string, string> = {};
  for (const bucket of BUCKETS) {
    const variable = STORAGE_VARIABLES[bucket];
    const set = await unlessMissing("variable_not_found", () =>
      api.call("readVariable", { params: { name: variable } }),
    );
    const ref = set ? String(set.value) : `local-file-system/${bucket}`;
    if (!set) await api.call("setVariable", { params: { name: variable }, body: { value: ref } });
    if (ref !== `local-file-system/${bucket}`) continue;
    const params = { type: "local-file-system", name: bucket };
    const existing = await unlessMissing("block_not_found", () => api.call("readBlock", { params }));
    const basePath = existing ? String(existing.data.basePath) : join(home, "buckets", bucket);
    if (!existing) await api.call("saveBlock", { params, body: { data: { basePath } } });
    directories[bucket] = basePath;
  }
  return directories;
}

/** Every file below `directory`, relative to it (skipping the storage's own `.sluice` folder). */
async function filesBelow(directory: string): Promise<Set<string>> {
  if (!existsSync(directory)) return new Set();
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return new Set(
    entries
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(directory.length + 1))
      .filter((path) => !path.startsWith(".sluice/")),
  );
}

async function waitForEnd(api: SluiceClient, id: string, timeoutMs: number): Promise<FlowRun> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await api.readFlowRun(id);
    if (TERMINAL.has(run.stateType ?? "") || Date.now() > deadline) return run;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function describeArtifact(artifact: Artifact): string {
  const what = artifact.key ?? artifact.type;
  const link = artifact.type === "link" ? LinkData.safeParse(artifact.data) : undefined;
  if (link?.success) return `${what}: ${link.data.url}`;
  return `${what} (${artifact.type})${artifact.description ? `: ${artifact.description}` : ""}`;
}

/**
 * Deploys the example pipeline (build-lifecycle/bpl-libraries, served by the embedded worker), runs it
 * once and prints where to see the run, its artifacts and the files it wrote. Never throws: the
 * server keeps serving whatever happens here.
 */
export async function runLifecycleExample(api: SluiceClient, url: string, home: string): Promise<void> {
  if (!existsSync(LIFECYCLE_PROJECT)) {
    printNote(`The example pipeline is missing (${LIFECYCLE_PROJECT}); skipping its run.`);
    return;
  }
  try {
    const directories = await ensureEmbeddedStorage(api, home);
    const project = await loadProjectFile(LIFECYCLE_PROJECT, { lookup: templateLookup(api) });
    const [prepared] = await prepareDeployments(api, project, [0]);
    if (!prepared) throw new Error(`${LIFECYCLE_PROJECT} has no deployment`);
    const deployment = await upsertPreparedDeployment(api, project, prepared);
    const address = deploymentAddress(deployment);
    printLine(`Deployed ${address} (examples/build-lifecycle); running it once...`);
    const before = new Map<string, Set<string>>();
    for (const [bucket, directory] of Object.entries(directories))
      before.set(bucket, await filesBelow(directory));
    const created = await api.call("createDeploymentFlowRun", { params: { id: deployment.id }, body: {} });
    const run = await waitForEnd(api, created.id, 5 * 60_000);
    printLine(
      `Flow run ${run.name} (${run.id}) of ${address}: ${formatState(run.stateType, run.stateName, shouldColor())}${run.state?.message ? ` (${run.state.message})` : ""}`,
    );
    printLine(`  UI:        ${flowRunPageUrl(url, run.id)}`);
    printLine(`  logs:      sluice flow-run logs ${run.id}`);
    const artifacts = await api.call("filterArtifacts", { body: { flowRunId: run.id, sort: "CREATED_ASC" } });
    if (artifacts.items.length > 0) {
      printLine(`  artifacts: sluice artifact ls --flow-run ${run.id}`);
      for (const artifact of artifacts.items) printLine(`    ${describeArtifact(artifact)}`);
    }
    for (const [bucket, directory] of Object.entries(directories)) {
      const written = [...(await filesBelow(directory))].filter((path) => !before.get(bucket)?.has(path));
      if (written.length === 0) continue;
      printLine(`  files written in ${bucket} (${directory}):`);
      for (const path of written.sort()) printLine(`    ${path}`);
    }
    printLine(`  run it again: sluice deployment run ${address}`);
  } catch (error) {
    printNote(`The example pipeline did not run: ${error instanceof Error ? error.message : String(error)}`);
  }
}
