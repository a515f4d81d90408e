import type { Storage } from "@sluice/sdk";
import type { BuildContext } from "../build-context.js";
import type { SourceDataVersion } from "../formats/source-data-versions.js";
import { publishingKeys } from "../storage/layout.js";
import { writeObject } from "../storage/objects.js";

/** The lifecycle's stages, in order; draft and publish are optional. */
export const STAGES = ["plan", "load", "build", "package", "draft", "publish"] as const;
export type StageName = (typeof STAGES)[number];

/** The two buckets a build reads and writes. */
export interface LifecycleStorage {
  /** edm-recipes: ingested source datasets. */
  readonly recipes: Storage;
  /** edm-publishing: plans, builds and packages of products. */
  readonly publishing: Storage;
}

/** What every stage is called with. */
export interface StageInput {
  readonly storage: LifecycleStorage;
  readonly build: BuildContext;
}

/** What a stage returns (and records under `_runs/`): the keys it wrote and a summary of what it did. */
export interface StageResult {
  readonly stage: StageName;
  readonly product: string;
  readonly buildName: string;
  /** The folder (key prefix) where the stage's main output landed. */
  readonly location: string;
  /** The bucket of `location`. */
  readonly bucket: string;
  /** Every key the stage wrote, in edm-publishing. */
  readonly keys: string[];
  /** The source data versions the build uses (as in source_data_versions.csv). */
  readonly sourceDataVersions: SourceDataVersion[];
  /** Stage-specific facts (mirrors the Dagster asset metadata of dcpy). */
  readonly details: Record<string, unknown>;
  /** The flow run whose task produced this result (set by the task wrapper; null when called directly). */
  readonly flowRunId: string | null;
  /** Milliseconds the stage body took in that task (set by the task wrapper; null when called directly). */
  readonly bodyMs: number | null;
}

/** Writes the stage's record `_runs/db-<product>/<build>/<stage>.json` and returns the result with its key. */
export async function recordStage(
  storage: Storage,
  build: BuildContext,
  result: Omit<StageResult, "product" | "buildName" | "flowRunId" | "bodyMs">,
): Promise<StageResult> {
  const key = publishingKeys.stageResult(build.product, build.buildName, result.stage);
  const full: StageResult = {
    ...result,
    product: build.product,
    buildName: build.buildName,
    keys: [...result.keys, key],
    flowRunId: null,
    bodyMs: null,
  };
  await writeObject(storage, key, `${JSON.stringify(full, null, 2)}\n`, build);
  return full;
}
