import { getRunLogger } from "@sluice/sdk";
import { buildSchema, newYorkIsoTimestamp } from "../build-context.js";
import type { BuildMetadata, ImportedDataset, LoadResult } from "../formats/build-metadata.js";
import { parseCsv } from "../formats/csv.js";
import { sourceDataVersions, sourceDataVersionsCsv } from "../formats/source-data-versions.js";
import { assertVersionsResolved, parseRecipe } from "../recipe/recipe-file.js";
import type { InputDataset, Recipe } from "../recipe/recipe-schema.js";
import { publishingKeys, recipesKeys } from "../storage/layout.js";
import { readInput, storageLabel, writeObject } from "../storage/objects.js";
import { extensionOf, readDatasetConfig } from "./plan.js";
import { recordStage, type StageInput, type StageResult } from "./stage-result.js";

/** Reads a lock file a stage depends on; missing or invalid, the error names the key. */
export async function readLock(
  input: StageInput,
  key: string,
  stage: string,
  hint: string,
): Promise<{ text: string; lock: Recipe }> {
  const text = await readInput(input.storage.publishing, key, stage, hint);
  const lock = parseRecipe(text, `${storageLabel(input.storage.publishing)}/${key}`);
  assertVersionsResolved(lock, key);
  return { text, lock };
}

/** Where dcpy's load would put a dataset, by its destination type (simulated: nothing is imported). */
function destinationOf(dataset: InputDataset, schema: string, fileKey: string): string {
  if (dataset.destination === "postgres") return `${schema}.${dataset.import_as ?? dataset.id}`;
  if (dataset.destination === "df") return "dataframe";
  return fileKey;
}

/** "Pulls" one dataset: its file must exist and, for CSV, hold every column its config.json declares. */
async function loadDataset(
  input: StageInput,
  dataset: InputDataset,
  schema: string,
): Promise<ImportedDataset> {
  const { recipes } = input.storage;
  const version = dataset.version ?? "latest";
  const fileType = dataset.file_type ?? "csv";
  const fileKey = recipesKeys.datasetFile(dataset.id, version, extensionOf(fileType));
  const hint = "the version plan resolved must stay in edm-recipes";
  const body = await readInput(recipes, fileKey, "load", hint);
  const config = await readDatasetConfig(recipes, dataset.id, version, "load");
  if (fileType === "csv") {
    const header = new Set(parseCsv(body)[0] ?? []);
    const missing = (config.columns ?? []).map((column) => column.id).filter((id) => !header.has(id));
    if (missing.length > 0) {
      throw new Error(
        `load: ${storageLabel(recipes)} ${fileKey} lacks the column(s) ${missing.join(", ")} its config.json declares`,
      );
    }
  }
  return {
    id: dataset.id,
    version,
    file_type: fileType,
    destination_type: dataset.destination,
    destination: destinationOf(dataset, schema, fileKey),
  };
}

/**
 * load: reads the plan's lock, checks each source dataset, and stores the lock, source_data_versions.csv
 * and build_metadata.json (with its load_result) under `db-<product>/build/<build_name>/`.
 */
export async function load(input: StageInput): Promise<StageResult> {
  const { build, storage } = input;
  const planKey = publishingKeys.planLock(build.product, build.buildName);
  const { text: lockText, lock } = await readLock(input, planKey, "load", "run plan for this build first");
  const schema = buildSchema(build.branch);
  const loadResult: LoadResult = { name: lock.name, build_name: schema, datasets: {} };
  for (const dataset of lock.inputs.datasets) {
    const imported = await loadDataset(input, dataset, schema);
    loadResult.datasets[dataset.id] = { [imported.version]: imported };
    getRunLogger().info("load: %s %s -> %s", dataset.id, imported.version, imported.destination);
  }
  const metadata: BuildMetadata = {
    timestamp: newYorkIsoTimestamp(new Date()),
    commit: build.commit,
    run_url: null,
    version: build.version,
    draft_revision_name: null,
    recipe: lock,
    load_result: loadResult,
  };
  const files = {
    "recipe.lock.yml": lockText,
    "source_data_versions.csv": sourceDataVersionsCsv(lock),
    "build_metadata.json": `${JSON.stringify(metadata, null, 4)}\n`,
  };
  const keys: string[] = [];
  for (const [file, body] of Object.entries(files)) {
    const key = publishingKeys.build(build.product, build.buildName, file);
    await writeObject(storage.publishing, key, body, build);
    keys.push(key);
  }
  return recordStage(storage.publishing, build, {
    stage: "load",
    location: publishingKeys.buildFolder(build.product, build.buildName),
    bucket: storageLabel(storage.publishing),
    keys,
    sourceDataVersions: sourceDataVersions(lock),
    details: {
      product: build.product,
      build_name: build.buildName,
      schema,
      datasets_loaded: lock.inputs.datasets.length,
    },
  });
}
