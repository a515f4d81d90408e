import { getRunLogger } from "@sluice/sdk";
import { newYorkIsoTimestamp } from "../build-context.js";
import { parseBuildMetadata, type BuildMetadata } from "../formats/build-metadata.js";
import { parseCsv, toCsv } from "../formats/csv.js";
import { parseSourceDataVersions } from "../formats/source-data-versions.js";
import type { ExportDataset, Recipe } from "../recipe/recipe-schema.js";
import { publishingKeys, recipesKeys } from "../storage/layout.js";
import { readInput, storageLabel, writeObject } from "../storage/objects.js";
import { readLock } from "./load.js";
import { extensionOf } from "./plan.js";
import { recordStage, type StageInput, type StageResult } from "./stage-result.js";

/** The columns of the template's `libraries` model (`intermediate/libraries.sql`). */
export const LIBRARIES_COLUMNS = ["library_name", "borough", "wkb_geometry"];

/** The file name an export dataset is written under. */
export function exportFileName(dataset: ExportDataset): string {
  return dataset.filename ?? `${dataset.name}.${dataset.format}`;
}

/** The commands the build "runs": dcpy's load and export steps around the recipe's own commands. */
function buildCommands(lock: Recipe): string[] {
  const own = lock.stage_config["builds.build"]?.commands ?? [];
  return ["load_recipe_data", ...own.map((command) => command.name), "export_recipe_data"];
}

/** The mock transform: bpl_libraries rows as the libraries model would select them. */
async function librariesRows(input: StageInput, lock: Recipe): Promise<string[][]> {
  const source = lock.inputs.datasets.find((dataset) => dataset.id === "bpl_libraries");
  if (!source?.version || source.file_type !== "csv") return [];
  const key = recipesKeys.datasetFile(source.id, source.version, extensionOf(source.file_type));
  const [header, ...rows] = parseCsv(await readInput(input.storage.recipes, key, "build", "load read it"));
  const title = header?.indexOf("title") ?? -1;
  const geom = header?.indexOf("geom") ?? -1;
  return rows.map((row) => [row[title] ?? "", "Brooklyn", row[geom] ?? ""]);
}

/**
 * build: runs the (mocked) build commands and exports `dataset_files/`, `attachments/source_data_versions.csv`
 * and a rewritten build_metadata.json (load_result null) under `db-<product>/build/<build_name>/`.
 */
export async function build(input: StageInput): Promise<StageResult> {
  const { build: context, storage } = input;
  const at = (file: string) => publishingKeys.build(context.product, context.buildName, file);
  const hint = "run load for this build first";
  const { lock } = await readLock(input, at("recipe.lock.yml"), "build", hint);
  const metadataKey = at("build_metadata.json");
  const previous = parseBuildMetadata(
    await readInput(storage.publishing, metadataKey, "build", hint),
    metadataKey,
  );
  const versionsKey = at("source_data_versions.csv");
  const versionsText = await readInput(storage.publishing, versionsKey, "build", hint);
  const versions = parseSourceDataVersions(versionsText, versionsKey);
  const logger = getRunLogger();
  const commands = buildCommands(lock);
  for (const command of commands) logger.info("build: %s (mocked, not executed)", command);
  const exports = lock.exports?.datasets ?? [];
  const unsupported = exports.find((dataset) => dataset.format !== "csv");
  if (unsupported) {
    throw new Error(`build: exports.datasets[${unsupported.name}].format: the mock exports csv only`);
  }
  const rows = await librariesRows(input, lock);
  const files: Record<string, string> = { "attachments/source_data_versions.csv": versionsText };
  for (const dataset of exports)
    files[`dataset_files/${exportFileName(dataset)}`] = toCsv(LIBRARIES_COLUMNS, rows);
  const metadata: BuildMetadata = {
    ...previous,
    timestamp: newYorkIsoTimestamp(new Date()),
    load_result: null,
  };
  files["build_metadata.json"] = `${JSON.stringify(metadata, null, 4)}\n`;
  const keys: string[] = [];
  for (const [file, body] of Object.entries(files)) {
    await writeObject(storage.publishing, at(file), body, context);
    keys.push(at(file));
  }
  return recordStage(storage.publishing, context, {
    stage: "build",
    location: publishingKeys.buildFolder(context.product, context.buildName),
    bucket: storageLabel(storage.publishing),
    keys,
    sourceDataVersions: versions,
    details: {
      product: context.product,
      build_key: `${publishingKeys.buildFolder(context.product, context.buildName).slice(0, -1)}`,
      commands,
      output_path: publishingKeys.build(context.product, context.buildName, "dataset_files/"),
    },
  });
}
