import { getRunContext, task, type CacheKeyFn, type Storage } from "@sluice/sdk";
import { publishStageArtifacts } from "./artifacts.js";
import { buildTimestamp } from "./build-context.js";
import type { Recipe } from "./recipe/recipe-schema.js";
import { seedBplLibraries } from "./seed.js";
import { productKey } from "./storage/layout.js";
import { build } from "./stages/build.js";
import { draft, publish } from "./stages/draft-publish.js";
import { load } from "./stages/load.js";
import { packageBuild } from "./stages/package.js";
import { plan } from "./stages/plan.js";
import type { StageInput, StageName, StageResult } from "./stages/stage-result.js";

/**
 * One cache entry per build and stage: re-running a build_name finds the stages that completed and
 * reports them Cached. The publishing storage is part of the key, so two buckets never share entries.
 */
function stageCacheKey<A extends [StageInput, ...unknown[]]>(stage: StageName): CacheKeyFn<A> {
  return (_context, [input]) =>
    `build-lifecycle/${input.storage.publishing.name}/${productKey(input.build.product)}/${input.build.buildName}/${stage}`;
}

/** Runs a stage body inside its task: stamps the flow run and the body's time, publishes its artifacts. */
async function runStage(input: StageInput, body: () => Promise<StageResult>): Promise<StageResult> {
  const started = performance.now();
  const produced = await body();
  const bodyMs = Math.round(performance.now() - started);
  const result: StageResult = { ...produced, flowRunId: getRunContext().flowRunId, bodyMs };
  await publishStageArtifacts(result, input.storage.publishing);
  return result;
}

/**
 * The build's timestamp when no parameter gives one: the first attempt's clock, cached per flow run, so
 * a retried or crash-restarted run keeps its build name (and finds its finished stages Cached).
 */
export const buildTimestampTask = task(
  { name: "build-timestamp", cacheKeyFn: ({ flowRunId }) => `build-lifecycle/timestamp/${flowRunId}` },
  () => buildTimestamp(new Date()),
);

/** Places the bpl_libraries fixture in edm-recipes (idempotent). */
export const seedTask = task({ name: "seed-bpl-libraries" }, (recipes: Storage, commit: string | null) =>
  seedBplLibraries(recipes, { provenance: { commit } }),
);

/** plan as a task, cached per build. */
export const planTask = task(
  { name: "plan", description: "Resolve the recipe into recipe.lock.yml", cacheKeyFn: stageCacheKey("plan") },
  (input: StageInput & { readonly recipe: Recipe }) => runStage(input, () => plan(input)),
);

/** load as a task, cached per build; `_after` is plan's result, so the run graph shows the dependency. */
export const loadTask = task(
  {
    name: "load",
    description: "Check the source data and record what the build loads",
    cacheKeyFn: stageCacheKey("load"),
  },
  (input: StageInput, _after: StageResult) => runStage(input, () => load(input)),
);

/** build as a task, cached per build. */
export const buildTask = task(
  {
    name: "build",
    description: "Run the build commands and export the dataset files",
    cacheKeyFn: stageCacheKey("build"),
  },
  (input: StageInput, _after: StageResult) => runStage(input, () => build(input)),
);

/** package as a task, cached per build. */
export const packageTask = task(
  { name: "package", description: "Assemble the dataset packages", cacheKeyFn: stageCacheKey("package") },
  (input: StageInput, _after: StageResult) => runStage(input, () => packageBuild(input)),
);

/** draft (optional) as a task, cached per build. */
export const draftTask = task(
  { name: "draft", description: "Promote the build to a draft revision", cacheKeyFn: stageCacheKey("draft") },
  (input: StageInput, _after: StageResult) => runStage(input, () => draft(input)),
);

/** publish (optional) as a task, cached per build. */
export const publishTask = task(
  {
    name: "publish",
    description: "Publish the draft as the version and as latest",
    cacheKeyFn: stageCacheKey("publish"),
  },
  (input: StageInput, _after: StageResult) => runStage(input, () => publish(input)),
);
