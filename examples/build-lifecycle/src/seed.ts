import type { Storage } from "@sluice/sdk";
import { toCsv } from "./formats/csv.js";
import { recipesKeys } from "./storage/layout.js";
import { writeObject, type ObjectProvenance } from "./storage/objects.js";

/** The dataset the seed places. */
export const SEED_DATASET = "bpl_libraries";
/** The ingest version the seed places by default (dcpy dataset versions are YYYYMMDD). */
export const SEED_VERSION = "20240105";

/** The processed file's columns: the template's declared columns, then the geometry ingest adds. */
const FIXTURE_COLUMNS = ["title", "address", "geom"];

/** Clearly synthetic rows: no real library is named or located. */
const FIXTURE_ROWS = [
  ["SYNTHETIC ROW 1 (not a real library)", "1 Placeholder Street, Brooklyn, NY 00000", "POINT (0 0)"],
  ["SYNTHETIC ROW 2 (not a real library)", "2 Placeholder Street, Brooklyn, NY 00000", "POINT (0 0)"],
];

/** config.json as dcpy's ingest writes it (an IngestedDataset), pared down to what plan and load read. */
export function fixtureConfig(version: string): Record<string, unknown> {
  return {
    id: SEED_DATASET,
    version,
    crs: "EPSG:4326",
    acl: "public-read",
    attributes: { name: "BPL Libraries", url: "https://www.bklynlibrary.org/locations" },
    source: { type: "api", endpoint: "https://www.bklynlibrary.org/api/locations/v1/map", format: "json" },
    file_format: { type: "json", json_read_fn: "normalize" },
    transformation: { processing_steps: [{ name: "clean_column_names", args: { lower: true } }] },
    columns: [
      { id: "title", data_type: "text" },
      { id: "address", data_type: "text" },
    ],
  };
}

/** What `seedBplLibraries` did. */
export interface SeedResult {
  readonly dataset: string;
  readonly version: string;
  /** Keys written by this call (absent or changed ones); empty when everything was in place. */
  readonly written: string[];
  /** Every key the fixture consists of. */
  readonly keys: string[];
}

/**
 * Places a synthetic bpl_libraries ingest (a CSV and its config.json) under
 * `datasets/bpl_libraries/{version,latest}/` in edm-recipes. Idempotent: an object already holding the
 * fixture's bytes is left alone (its date-created kept); a missing or different one is rewritten.
 */
export async function seedBplLibraries(
  recipes: Storage,
  options: { version?: string; provenance?: ObjectProvenance } = {},
): Promise<SeedResult> {
  const version = options.version ?? SEED_VERSION;
  const csv = toCsv(FIXTURE_COLUMNS, FIXTURE_ROWS);
  const config = `${JSON.stringify(fixtureConfig(version), null, 4)}\n`;
  const objects = ["latest", version].flatMap((folder) => [
    { key: recipesKeys.datasetFile(SEED_DATASET, folder, "csv"), body: csv },
    { key: recipesKeys.datasetConfig(SEED_DATASET, folder), body: config },
  ]);
  const written: string[] = [];
  for (const { key, body } of objects) {
    if ((await recipes.exists(key)) && new TextDecoder().decode(await recipes.read(key)) === body) continue;
    await writeObject(recipes, key, body, options.provenance ?? { commit: null });
    written.push(key);
  }
  return { dataset: SEED_DATASET, version, written, keys: objects.map((o) => o.key) };
}
