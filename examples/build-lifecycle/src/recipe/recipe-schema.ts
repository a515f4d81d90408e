/**
 * zod schemas mirroring dcpy's pydantic build models (`dcpy/lifecycle/builds/models.py`): every object is
 * strict (pydantic `extra="forbid"`), optional fields default to null so a lock file keeps its nulls.
 */
import { z } from "zod";

/** An optional field that is written as null when absent (pydantic's `X | None = None`). */
function nullable<T extends z.ZodType>(schema: T) {
  return schema.nullable().default(null);
}

/** Versions may be written unquoted in YAML (`version: 20240105`); they are strings in the model. */
const Version = z.union([z.string().min(1), z.number()]).transform(String);
const StringMap = z.record(z.string(), z.string());

export const DatasetType = z.enum(["pg_dump", "csv", "parquet", "xlsx", "json", "shapefile", "gdb", "Other"]);
export type DatasetType = z.infer<typeof DatasetType>;

export const Destination = z.enum(["postgres", "df", "file", "duckdb"]);
export type Destination = z.infer<typeof Destination>;

const Preprocessor = z.strictObject({ module: z.string(), function: z.string() });

/**
 * An input dataset. In a recipe `name` is the dataset id (dcpy's alias); in a lock file `id` is the id and
 * `name` the display name plan resolved.
 */
export const InputDataset = z
  .strictObject({
    id: z.string().min(1).optional(),
    name: nullable(z.string().min(1)),
    version: nullable(Version),
    source: nullable(z.string()),
    file_type: nullable(DatasetType),
    version_env_var: nullable(z.string()),
    import_as: nullable(z.string()),
    preprocessor: nullable(Preprocessor),
    destination: nullable(Destination),
    load_engine: nullable(z.string()),
    archive_date: nullable(z.string()),
    url: nullable(z.string()),
    custom: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((dataset, context) => {
    if (dataset.id === undefined && dataset.name === null) {
      context.addIssue({ code: "custom", path: ["name"], message: "a dataset needs a name (its id)" });
    }
  })
  .transform(({ id, name, ...rest }) =>
    id === undefined ? { id: name ?? "", name: null, ...rest } : { id, name, ...rest },
  );
export type InputDataset = z.output<typeof InputDataset>;

const DatasetDefaults = z.strictObject({
  file_type: nullable(DatasetType),
  source: z.string().default("edm.recipes.datasets"),
  preprocessor: nullable(Preprocessor),
  destination: Destination.default("postgres"),
  load_engine: z.string().default("pandas"),
});

const RecipeInputs = z.strictObject({
  missing_versions_strategy: nullable(z.enum(["find_latest", "copy_latest_release"])),
  dataset_defaults: nullable(DatasetDefaults),
  datasets: z.array(InputDataset).min(1, "a recipe needs at least one dataset"),
});

const ConnectorArg = z.strictObject({
  name: z.string(),
  value: nullable(z.string()),
  value_from: nullable(StringMap),
});

export const BuildCommand = z.strictObject({
  name: z.string().min(1),
  run: z.string(),
  command_type: z.enum(["shell", "python"]).default("shell"),
  env: StringMap.default({}),
});
export type BuildCommand = z.output<typeof BuildCommand>;

const StageConfig = z.strictObject({
  destination: nullable(z.string()),
  destination_key: nullable(z.string()),
  connector_args: z.array(ConnectorArg).default([]),
  env: StringMap.default({}),
  commands: z.array(BuildCommand).default([]),
});

export const ExportFormat = z.enum(["csv", "parquet", "shp", "gdb", "dat"]);

const ExportDataset = z.strictObject({
  name: z.string().min(1),
  filename: nullable(z.string()),
  format: ExportFormat,
  custom: nullable(z.record(z.string(), z.unknown())),
});
export type ExportDataset = z.output<typeof ExportDataset>;

const Exports = z.strictObject({
  output_folder: nullable(z.string()),
  zip_name: nullable(z.string()),
  datasets: z.array(ExportDataset).default([]),
});

export const VersionStrategy = z.union([
  z.enum(["today", "first_of_month", "bump_latest_release"]),
  z.strictObject({ bump_latest_release: z.number().int().min(1) }),
  z.strictObject({ pin_to_source_dataset: z.string().min(1) }),
]);
export type VersionStrategy = z.output<typeof VersionStrategy>;

/** A build recipe (recipe.yml) or, once planned, its lock (recipe.lock.yml). */
export const Recipe = z.strictObject({
  name: z.string().min(1),
  product: z.string().regex(/^[a-z0-9_]+$/, "lowercase letters, digits and underscores"),
  base_recipe: nullable(z.string()),
  version: nullable(Version),
  version_type: nullable(z.enum(["major", "minor", "patch"])),
  version_strategy: nullable(VersionStrategy),
  branch: nullable(z.string()),
  build_name: nullable(z.string()),
  env: StringMap.default({}),
  inputs: RecipeInputs,
  exports: nullable(Exports),
  distribution: nullable(z.strictObject({ destination_ids: z.array(z.string()) })),
  stage_config: z.record(z.string(), StageConfig).default({}),
  custom: nullable(z.record(z.string(), z.unknown())),
});
export type Recipe = z.output<typeof Recipe>;
