/**
 * Object keys of the two buckets, as dcpy lays them out (build-lifecycle reference §6.3). Build names
 * keep their colons as raw key segments, like dcpy.
 */

/** The source-data bucket (dcpy's RECIPES_BUCKET). */
export const RECIPES_BUCKET = "edm-recipes";
/** The product bucket (dcpy's PUBLISHING_BUCKET). */
export const PUBLISHING_BUCKET = "edm-publishing";

/** The S3 name of a product: `template` -> `db-template` (dcpy's PRODUCT_NAME_MAPPING pattern). */
export function productKey(product: string): string {
  return `db-${product}`;
}

/** Keys in edm-recipes. */
export const recipesKeys = {
  /** `datasets/<id>/<version>/`: one ingested version; `version` may be "latest". */
  datasetFolder: (id: string, version: string) => `datasets/${id}/${version}/`,
  datasetConfig: (id: string, version: string) => `datasets/${id}/${version}/config.json`,
  datasetFile: (id: string, version: string, extension: string) =>
    `datasets/${id}/${version}/${id}.${extension}`,
};

/** Keys in edm-publishing for one build of a product. */
export const publishingKeys = {
  planFolder: (product: string, buildName: string) => `${productKey(product)}/plan/${buildName}/`,
  planLock: (product: string, buildName: string) =>
    `${productKey(product)}/plan/${buildName}/recipe.lock.yml`,
  buildFolder: (product: string, buildName: string) => `${productKey(product)}/build/${buildName}/`,
  build: (product: string, buildName: string, file: string) =>
    `${productKey(product)}/build/${buildName}/${file}`,
  /** `product_datasets/<product>/package/<version>/<dataset>/`: keyed by version, as in dcpy. */
  packageFolder: (product: string, version: string, dataset: string) =>
    `product_datasets/${product}/package/${version}/${dataset}/`,
  /** The orchestrator's record of a finished stage (mock-only, reference §6.3). */
  stageResult: (product: string, buildName: string, stage: string) =>
    `_runs/${productKey(product)}/${buildName}/${stage}.json`,
};
