import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createMarkdownArtifact,
  flow,
  getRunContext,
  LocalFileSystem,
  parseStorageBlockRef,
  S3Bucket,
  type Flow,
  type Storage,
} from "@sluice/sdk";
import { z } from "zod";
import { makeBuildName, resolveProductVersion, timestampDate, type BuildContext } from "./build-context.js";
import { parseRecipe } from "./recipe/recipe-file.js";
import { readDatasetConfig } from "./stages/plan.js";
import type { LifecycleStorage, StageName, StageResult } from "./stages/stage-result.js";
import {
  buildTask,
  buildTimestampTask,
  draftTask,
  loadTask,
  packageTask,
  planTask,
  publishTask,
  seedTask,
} from "./tasks.js";

/** The package directory: recipe paths are relative to it and may not leave it. */
export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** A key segment: no slash or colon, since both would change the build's keys. */
const Segment = z.string().regex(/^[A-Za-z0-9._-]+$/, "letters, digits, dot, dash and underscore only");

/** The flow's parameters. */
export const BuildLifecycleParameters = z.object({
  /** The recipe, relative to the package directory (default recipe.yml). */
  recipePath: z
    .string()
    .min(1)
    .default("recipe.yml")
    .describe("The recipe, relative to the package directory (default recipe.yml)."),
  /** The product version (default: the recipe's `version`, else its `version_strategy`). */
  version: Segment.optional().describe(
    "The product version (default: the recipe's `version`, else its `version_strategy`).",
  ),
  /** The branch the build is for (default main). */
  branch: Segment.default("main").describe("The branch the build is for (default main)."),
  /** A note on the build: kept in the plan record, and the draft revision's summary (default none). */
  buildNote: z
    .string()
    .regex(/^[A-Za-z0-9._ -]{1,50}$/, "up to 50 letters, digits, spaces, dots, dashes, underscores")
    .optional()
    .describe(
      "A note on the build: kept in the plan record, and the draft revision's summary (default none).",
    ),
  /** `YYYYMMDDTHHMM` (UTC) of the build name; pass an earlier one to re-run that build (default: now). */
  timestamp: z
    .string()
    .regex(/^\d{8}T\d{4}$/, "YYYYMMDDTHHMM")
    .optional()
    .describe(
      "`YYYYMMDDTHHMM` (UTC) of the build name; pass an earlier one to re-run that build (default: now).",
    ),
  /** The edm-recipes storage block, `s3-bucket/NAME` or `local-file-system/NAME` (default s3-bucket/edm-recipes). */
  recipesStorage: z
    .string()
    .default("s3-bucket/edm-recipes")
    .describe(
      "The edm-recipes storage block, `s3-bucket/NAME` or `local-file-system/NAME` (default s3-bucket/edm-recipes).",
    ),
  /** The edm-publishing storage block (default s3-bucket/edm-publishing). */
  publishingStorage: z
    .string()
    .default("s3-bucket/edm-publishing")
    .describe("The edm-publishing storage block (default s3-bucket/edm-publishing)."),
  /** Place the synthetic bpl_libraries fixture in edm-recipes before planning (default false). */
  seed: z
    .boolean()
    .default(false)
    .describe("Place the synthetic bpl_libraries fixture in edm-recipes before planning (default false)."),
  /** After package, promote the build to a draft revision (default false). */
  draft: z
    .boolean()
    .default(false)
    .describe("After package, promote the build to a draft revision (default false)."),
  /** After draft, publish it as the version and as latest; implies draft (default false). */
  publish: z
    .boolean()
    .default(false)
    .describe("After draft, publish it as the version and as latest; implies draft (default false)."),
  /** The commit recorded in object metadata and build_metadata.json (default none: "unknown"). */
  commit: z
    .string()
    .regex(/^[0-9a-f]{7,40}$/, "a git commit hash")
    .optional()
    .describe(`The commit recorded in object metadata and build_metadata.json (default none: "unknown").`),
});
export type BuildLifecycleParameters = z.input<typeof BuildLifecycleParameters>;

/** How each stage ended in this run. */
export interface StageOutcome {
  readonly stage: StageName;
  /** Cached: an earlier run of this build completed it, and its stored outputs were reused. */
  readonly state: "Completed" | "Cached";
  readonly location: string;
  /** Milliseconds the stage body took when it ran in this run; 0 when Cached. */
  readonly bodyMs: number;
}

/** What a lifecycle run returns. */
export interface BuildLifecycleResult {
  readonly buildName: string;
  readonly product: string;
  readonly version: string;
  /** The package folder in edm-publishing. */
  readonly packageLocation: string;
  readonly stages: StageOutcome[];
}

/** Options of `createBuildLifecycle`. */
export interface BuildLifecycleOptions {
  /** Storage to use instead of the blocks named by the parameters (default: load the blocks). */
  storage?: LifecycleStorage;
  /** The directory recipe paths are confined to (default: this package's directory). */
  recipesDir?: string;
}

/** The storage a block reference names (`s3-bucket/NAME` or `local-file-system/NAME`). */
export async function storageFromBlockRef(ref: string): Promise<Storage> {
  const { type, name } = parseStorageBlockRef(ref);
  return type === "s3-bucket"
    ? (await S3Bucket.load(name)).storage()
    : (await LocalFileSystem.load(name)).storage();
}

/** Reads a recipe from a path confined to `root`. */
async function readRecipe(root: string, recipePath: string) {
  const path = resolve(root, recipePath);
  const inside = relative(root, path);
  if (isAbsolute(recipePath) || inside.startsWith("..") || isAbsolute(inside)) {
    throw new Error(`recipePath: ${recipePath} is outside ${root}`);
  }
  return parseRecipe(await readFile(path, "utf8"), recipePath);
}

function outcome(result: StageResult, flowRunId: string): StageOutcome {
  const ran = result.flowRunId === flowRunId;
  return {
    stage: result.stage,
    state: ran ? "Completed" : "Cached",
    location: result.location,
    bodyMs: ran ? (result.bodyMs ?? 0) : 0,
  };
}

/** The build-lifecycle flow, with storage passed in or chosen by block references. */
export function createBuildLifecycle(
  options: BuildLifecycleOptions = {},
): Flow<BuildLifecycleParameters, BuildLifecycleResult> {
  return flow(
    {
      name: "build-lifecycle",
      description:
        "Plan, load, build and package a product from its recipe (dcpy's build lifecycle, mocked).",
      parameters: BuildLifecycleParameters,
    },
    async (params): Promise<BuildLifecycleResult> => {
      const storage = options.storage ?? {
        recipes: await storageFromBlockRef(params.recipesStorage),
        publishing: await storageFromBlockRef(params.publishingStorage),
      };
      const recipe = await readRecipe(options.recipesDir ?? PACKAGE_DIR, params.recipePath);
      if (params.seed) await seedTask(storage.recipes, params.commit ?? null);
      const timestamp = params.timestamp ?? (await buildTimestampTask());
      const version = await resolveProductVersion(recipe, {
        override: params.version,
        date: timestampDate(timestamp),
        sourceDatasetVersion: async (id) =>
          (await readDatasetConfig(storage.recipes, id, "latest", "plan")).version,
      });
      const build: BuildContext = {
        product: recipe.product,
        version,
        branch: params.branch,
        timestamp,
        buildName: makeBuildName(version, timestamp, params.branch),
        buildNote: params.buildNote ?? null,
        commit: params.commit ?? null,
      };
      const input = { storage, build };
      // Each stage awaits the one before: a failure ends the run before the next stage starts.
      const planned = await planTask({ ...input, recipe });
      const loaded = await loadTask(input, planned);
      const built = await buildTask(input, loaded);
      const packaged = await packageTask(input, built);
      const results = [planned, loaded, built, packaged];
      if (params.draft || params.publish) results.push(await draftTask(input, packaged));
      if (params.publish) results.push(await publishTask(input, results.at(-1)!));
      const { flowRunId } = getRunContext();
      const stages = results.map((result) => outcome(result, flowRunId));
      await createMarkdownArtifact(
        [
          `# Build ${build.buildName} of ${build.product}`,
          "",
          "| stage | state | output |",
          "|---|---|---|",
          ...stages.map((s) => `| ${s.stage} | ${s.state} | \`${s.location}\` |`),
          "",
        ].join("\n"),
        { key: "build-lifecycle-summary", description: "The stages of this build" },
      );
      return {
        buildName: build.buildName,
        product: build.product,
        version,
        packageLocation: packaged.location,
        stages,
      };
    },
  );
}

/** The build lifecycle as one flow named `build-lifecycle`; storage comes from the block parameters. */
export const buildLifecycle = createBuildLifecycle();
