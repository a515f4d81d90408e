import { z } from "zod";
import { Destination, DatasetType, Recipe } from "../recipe/recipe-schema.js";

/** One dataset as load imported it (dcpy's ImportedDataset). */
export const ImportedDataset = z.strictObject({
  id: z.string(),
  version: z.string(),
  file_type: DatasetType,
  destination_type: Destination.nullable(),
  destination: z.string(),
});
export type ImportedDataset = z.infer<typeof ImportedDataset>;

/** What load did (dcpy's LoadResult): datasets by id, then by version. */
export const LoadResult = z.strictObject({
  name: z.string(),
  build_name: z.string(),
  datasets: z.record(z.string(), z.record(z.string(), ImportedDataset)),
});
export type LoadResult = z.infer<typeof LoadResult>;

/** build_metadata.json (dcpy's BuildMetadata). */
export const BuildMetadata = z.strictObject({
  timestamp: z.string(),
  commit: z.string().nullable(),
  run_url: z.string().nullable(),
  version: z.string(),
  draft_revision_name: z.string().nullable(),
  recipe: Recipe,
  load_result: LoadResult.nullable(),
});
export type BuildMetadata = z.output<typeof BuildMetadata>;

/** Parses build_metadata.json, naming `source` and the bad fields on failure. */
export function parseBuildMetadata(text: string, source: string): BuildMetadata {
  const parsed = BuildMetadata.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const fields = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    throw new Error(`${source} is not valid build metadata: ${fields.join("; ")}`);
  }
  return parsed.data;
}
