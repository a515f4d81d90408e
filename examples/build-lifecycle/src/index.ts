/**
 * The dataset build lifecycle (dcpy's plan, load, build, package), mocked on S3-compatible storage.
 * Each stage is a plain function and a task; `buildLifecycle` runs them in order as one flow.
 *
 * @example
 * import { buildLifecycle } from "@sluice/example-build-lifecycle";
 * await buildLifecycle({ branch: "main", seed: true }); // blocks s3-bucket/edm-recipes and s3-bucket/edm-publishing
 *
 * @example
 * import { createBuildLifecycle, plan, load } from "@sluice/example-build-lifecycle";
 * const lifecycle = createBuildLifecycle({ storage: { recipes, publishing } }); // Storage objects passed in
 */
export {
  buildLifecycle,
  BuildLifecycleParameters,
  createBuildLifecycle,
  PACKAGE_DIR,
  storageFromBlockRef,
  type BuildLifecycleOptions,
  type BuildLifecycleResult,
  type StageOutcome,
} from "./flow.js";
export {
  buildSchema,
  buildTimestamp,
  makeBuildName,
  newYorkIsoTimestamp,
  resolveProductVersion,
  type BuildContext,
} from "./build-context.js";
export { plan } from "./stages/plan.js";
export { load } from "./stages/load.js";
export { build } from "./stages/build.js";
export { packageBuild } from "./stages/package.js";
export { draft, publish } from "./stages/draft-publish.js";
export {
  STAGES,
  type LifecycleStorage,
  type StageInput,
  type StageName,
  type StageResult,
} from "./stages/stage-result.js";
export { buildTask, draftTask, loadTask, packageTask, planTask, publishTask, seedTask } from "./tasks.js";
export { seedBplLibraries, SEED_DATASET, SEED_VERSION, type SeedResult } from "./seed.js";
export { parseRecipe, RecipeError, toSortedYaml } from "./recipe/recipe-file.js";
export { Recipe, InputDataset } from "./recipe/recipe-schema.js";
export { BuildMetadata, LoadResult } from "./formats/build-metadata.js";
export { SOURCE_DATA_VERSIONS_COLUMNS, parseSourceDataVersions } from "./formats/source-data-versions.js";
export { MissingInputError } from "./storage/objects.js";
export {
  PUBLISHING_BUCKET,
  RECIPES_BUCKET,
  productKey,
  publishingKeys,
  recipesKeys,
} from "./storage/layout.js";
