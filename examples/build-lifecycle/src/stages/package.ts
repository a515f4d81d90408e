import { parseBuildMetadata } from "../formats/build-metadata.js";
import { parseCsv } from "../formats/csv.js";
import { packageMetadataYaml } from "../formats/package-metadata.js";
import { parseSourceDataVersions } from "../formats/source-data-versions.js";
import { publishingKeys } from "../storage/layout.js";
import { readInput, storageLabel, writeObject } from "../storage/objects.js";
import { exportFileName } from "./build.js";
import { readLock } from "./load.js";
import { recordStage, type StageInput, type StageResult } from "./stage-result.js";

/**
 * package: assembles each exported dataset of the build into
 * `product_datasets/<product>/package/<version>/<dataset>/` with metadata.yml, `attachments/` and
 * `dataset_files/` (dcpy's package layout; the package is keyed by version, so builds of one version share it).
 */
export async function packageBuild(input: StageInput): Promise<StageResult> {
  const { build, storage } = input;
  const at = (file: string) => publishingKeys.build(build.product, build.buildName, file);
  const hint = "run build for this build first";
  const { lock } = await readLock(input, at("recipe.lock.yml"), "package", hint);
  const metadataKey = at("build_metadata.json");
  parseBuildMetadata(await readInput(storage.publishing, metadataKey, "package", hint), metadataKey);
  const versionsKey = at("attachments/source_data_versions.csv");
  const versionsText = await readInput(storage.publishing, versionsKey, "package", hint);
  const versions = parseSourceDataVersions(versionsText, versionsKey);
  const exports = lock.exports?.datasets ?? [];
  if (exports.length === 0) throw new Error("package: the recipe exports no datasets (exports.datasets)");
  const keys: string[] = [];
  const folders: string[] = [];
  for (const name of [...new Set(exports.map((dataset) => dataset.name))]) {
    const folder = publishingKeys.packageFolder(build.product, build.version, name);
    const files = exports.filter((dataset) => dataset.name === name);
    const bodies: Record<string, string> = { "attachments/source_data_versions.csv": versionsText };
    let columns: string[] = [];
    for (const dataset of files) {
      const body = await readInput(
        storage.publishing,
        at(`dataset_files/${exportFileName(dataset)}`),
        "package",
        hint,
      );
      columns = parseCsv(body)[0] ?? columns;
      bodies[`dataset_files/${exportFileName(dataset)}`] = body;
    }
    const described = files.map((dataset) => ({ filename: exportFileName(dataset), type: dataset.format }));
    bodies["metadata.yml"] = packageMetadataYaml(build, { name, columns, files: described });
    for (const [file, body] of Object.entries(bodies)) {
      await writeObject(storage.publishing, `${folder}${file}`, body, build);
      keys.push(`${folder}${file}`);
    }
    folders.push(folder);
  }
  return recordStage(storage.publishing, build, {
    stage: "package",
    location: folders[0]!,
    bucket: storageLabel(storage.publishing),
    keys,
    sourceDataVersions: versions,
    details: {
      product: build.product,
      version: build.version,
      datasets: exports.map((d) => d.name),
      package_paths: folders,
    },
  });
}
