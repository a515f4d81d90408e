import { getRunLogger, type Storage } from "@sluice/sdk";
import { z } from "zod";
import { buildSchema, newYorkIsoTimestamp } from "../build-context.js";
import { sourceDataVersions } from "../formats/source-data-versions.js";
import { toSortedYaml } from "../recipe/recipe-file.js";
import type { DatasetType, InputDataset, Recipe } from "../recipe/recipe-schema.js";
import { productKey, publishingKeys, recipesKeys } from "../storage/layout.js";
import { readInput, storageLabel, writeObject } from "../storage/objects.js";
import { recordStage, type StageInput, type StageResult } from "./stage-result.js";

/** The file types plan looks for in a dataset version folder, most preferred first (dcpy's order). */
export const PREFERRED_FILE_TYPES: readonly { type: DatasetType; extension: string }[] = [
  { type: "pg_dump", extension: "sql" },
  { type: "parquet", extension: "parquet" },
  { type: "csv", extension: "csv" },
];

/** The extension of a dataset file of `type` in edm-recipes. */
export function extensionOf(type: DatasetType): string {
  return PREFERRED_FILE_TYPES.find((preferred) => preferred.type === type)?.extension ?? type.toLowerCase();
}

/** The part of an ingested dataset's config.json that plan and load read. */
export const DatasetConfig = z.object({
  id: z.string(),
  version: z.union([z.string(), z.number()]).transform(String),
  attributes: z.object({ name: z.string().optional(), url: z.string().optional() }).optional(),
  columns: z.array(z.object({ id: z.string() })).optional(),
});
export type DatasetConfig = z.output<typeof DatasetConfig>;

/** Reads and checks `datasets/<id>/<version>/config.json`; `stage` names who needed it. */
export async function readDatasetConfig(
  recipes: Storage,
  id: string,
  version: string,
  stage: string,
): Promise<DatasetConfig> {
  const key = recipesKeys.datasetConfig(id, version);
  const hint = `ingest ${id} first; the seed step places a fixture`;
  const text = await readInput(recipes, key, stage, hint);
  let parsed;
  try {
    parsed = DatasetConfig.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) throw new Error(`${stage}: ${storageLabel(recipes)} ${key} is not an ingest config`);
  return parsed.data;
}

/** Fills one dataset as dcpy's plan does: defaults, a concrete version, file type, name, archive date, url. */
async function planDataset(input: StageInput, recipe: Recipe, dataset: InputDataset): Promise<InputDataset> {
  const { recipes } = input.storage;
  const defaults = recipe.inputs.dataset_defaults;
  const source = dataset.source ?? defaults?.source ?? "edm.recipes.datasets";
  if (source !== "edm.recipes.datasets") {
    throw new Error(`plan: inputs.datasets[${dataset.id}].source: only edm.recipes.datasets is mocked`);
  }
  let version = dataset.version_env_var ? (recipe.env[dataset.version_env_var] ?? null) : dataset.version;
  if (version === null || version === "latest") {
    version = (await readDatasetConfig(recipes, dataset.id, "latest", "plan")).version;
  }
  const config = await readDatasetConfig(recipes, dataset.id, version, "plan");
  const folder = recipesKeys.datasetFolder(dataset.id, version);
  const present = new Set(await recipes.list(folder));
  const wanted = dataset.file_type ?? defaults?.file_type;
  const chosen = PREFERRED_FILE_TYPES.find(
    ({ type, extension }) =>
      (wanted ? type === wanted : true) &&
      present.has(recipesKeys.datasetFile(dataset.id, version, extension)),
  );
  if (!chosen) {
    const types = wanted ?? PREFERRED_FILE_TYPES.map((p) => p.type).join(", ");
    throw new Error(`plan: ${storageLabel(recipes)} has no ${types} file for ${dataset.id} under ${folder}`);
  }
  const info = await recipes.stat(recipesKeys.datasetFile(dataset.id, version, chosen.extension));
  return {
    ...dataset,
    version,
    source,
    file_type: chosen.type,
    destination: dataset.destination ?? defaults?.destination ?? "postgres",
    load_engine: dataset.load_engine ?? defaults?.load_engine ?? "pandas",
    preprocessor: dataset.preprocessor ?? defaults?.preprocessor ?? null,
    name: dataset.name ?? config.attributes?.name ?? null,
    url: dataset.url ?? config.attributes?.url ?? null,
    archive_date: info.metadata["date-created"] ?? newYorkIsoTimestamp(info.lastModified),
  };
}

/** Resolves `value_from: {env: VAR}` connector arguments into values, as plan does. */
function resolveStageConfig(recipe: Recipe, env: Record<string, string>): Recipe["stage_config"] {
  return Object.fromEntries(
    Object.entries(recipe.stage_config).map(([stage, config]) => [
      stage,
      {
        ...config,
        connector_args: config.connector_args.map((arg) => {
          const variable = arg.value_from?.env;
          if (variable === undefined) return arg;
          const value = env[variable];
          if (value === undefined) {
            throw new Error(
              `plan: stage_config.${stage}.connector_args[${arg.name}]: env ${variable} is not set`,
            );
          }
          return { ...arg, value };
        }),
      },
    ]),
  );
}

/**
 * plan: resolves the recipe into a lock (versions, file types, build name) and stores it at
 * `db-<product>/plan/<build_name>/recipe.lock.yml` in edm-publishing.
 */
export async function plan(input: StageInput & { readonly recipe: Recipe }): Promise<StageResult> {
  const { build, recipe, storage } = input;
  const logger = getRunLogger();
  const env = {
    ...recipe.env,
    VERSION: build.version,
    BUILD_ENGINE_SCHEMA: buildSchema(build.branch),
    BUILD_ENGINE_DB: recipe.env.BUILD_ENGINE_DB ?? productKey(build.product),
  };
  const datasets: InputDataset[] = [];
  for (const dataset of recipe.inputs.datasets) {
    datasets.push(await planDataset(input, recipe, dataset));
    logger.info("plan: %s resolved to version %s", dataset.id, datasets.at(-1)?.version);
  }
  const lock: Recipe = {
    ...recipe,
    version: build.version,
    branch: build.branch,
    build_name: build.buildName,
    env,
    inputs: { ...recipe.inputs, datasets },
    stage_config: resolveStageConfig(recipe, env),
  };
  const key = publishingKeys.planLock(build.product, build.buildName);
  await writeObject(storage.publishing, key, toSortedYaml(lock), build);
  return recordStage(storage.publishing, build, {
    stage: "plan",
    location: publishingKeys.planFolder(build.product, build.buildName),
    bucket: storageLabel(storage.publishing),
    keys: [key],
    sourceDataVersions: sourceDataVersions(lock),
    details: {
      product: build.product,
      version: build.version,
      branch: build.branch,
      timestamp: build.timestamp,
      build_note: build.buildNote,
      lock_file_path: key,
      plan_key: `${productKey(build.product)}/plan/${build.buildName}`,
    },
  });
}
