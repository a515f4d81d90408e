import type { Recipe } from "../recipe/recipe-schema.js";
import { parseCsv, toCsv } from "./csv.js";

/** The columns of source_data_versions.csv at dcpy HEAD. */
export const SOURCE_DATA_VERSIONS_COLUMNS = [
  "schema_name",
  "dataset_name",
  "v",
  "file_type",
  "archive_date",
  "url",
] as const;

/** One row of source_data_versions.csv. */
export type SourceDataVersion = Record<(typeof SOURCE_DATA_VERSIONS_COLUMNS)[number], string>;

/** The versions a planned recipe pulls in, one row per dataset, sorted by id (as dcpy writes them). */
export function sourceDataVersions(lock: Recipe): SourceDataVersion[] {
  return [...lock.inputs.datasets]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((dataset) => ({
      schema_name: dataset.id,
      dataset_name: dataset.name ?? "",
      v: dataset.version ?? "",
      file_type: dataset.file_type ?? "",
      archive_date: dataset.archive_date ?? "",
      url: dataset.url ?? "",
    }));
}

/** source_data_versions.csv for a planned recipe. */
export function sourceDataVersionsCsv(lock: Recipe): string {
  const rows = sourceDataVersions(lock).map((row) =>
    SOURCE_DATA_VERSIONS_COLUMNS.map((column) => row[column]),
  );
  return toCsv(SOURCE_DATA_VERSIONS_COLUMNS, rows);
}

/** Reads source_data_versions.csv back; throws naming `source` when its header is not the expected one. */
export function parseSourceDataVersions(text: string, source: string): SourceDataVersion[] {
  const [header, ...rows] = parseCsv(text);
  if (header?.join(",") !== SOURCE_DATA_VERSIONS_COLUMNS.join(",")) {
    throw new Error(`${source}: expected the header ${SOURCE_DATA_VERSIONS_COLUMNS.join(",")}`);
  }
  return rows.map(
    (row) =>
      Object.fromEntries(
        SOURCE_DATA_VERSIONS_COLUMNS.map((column, i) => [column, row[i] ?? ""]),
      ) as SourceDataVersion,
  );
}
