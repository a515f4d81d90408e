/** Helpers for the lifecycle's own tests: the keys a build writes, and a storage that refuses some writes. */
import type { Readable } from "node:stream";
import {
  S3Bucket,
  StorageError,
  type Storage,
  type StorageBody,
  type StorageObjectInfo,
  type StorageWriteOptions,
} from "@sluice/sdk";
import type { SluiceClient } from "@sluice/client";
import type { S3TestServer } from "@sluice/sdk/testing";
import { SEED_VERSION } from "../seed.js";

/** The keys edm-recipes holds after the seed. */
export function expectedRecipesKeys(version = SEED_VERSION): string[] {
  return [version, "latest"]
    .flatMap((folder) => [
      `datasets/bpl_libraries/${folder}/bpl_libraries.csv`,
      `datasets/bpl_libraries/${folder}/config.json`,
    ])
    .sort();
}

/** The keys edm-publishing holds after a whole build of the package's recipe. */
export function expectedPublishingKeys(buildName: string, version = "24Q3"): string[] {
  const build = `db-template/build/${buildName}`;
  const pkg = `product_datasets/template/package/${version}/libraries`;
  return [
    ...["plan", "load", "build", "package"].map((stage) => `_runs/db-template/${buildName}/${stage}.json`),
    `db-template/plan/${buildName}/recipe.lock.yml`,
    `${build}/recipe.lock.yml`,
    `${build}/source_data_versions.csv`,
    `${build}/build_metadata.json`,
    `${build}/attachments/source_data_versions.csv`,
    `${build}/dataset_files/libraries.csv`,
    `${pkg}/metadata.yml`,
    `${pkg}/attachments/source_data_versions.csv`,
    `${pkg}/dataset_files/libraries.csv`,
  ].sort();
}

/** Delegates to a real storage but refuses writes under a prefix, as a bucket policy denying them would. */
export class RefusingStorage implements Storage {
  readonly name: string;
  constructor(
    private readonly inner: Storage,
    private readonly refusedPrefix: string,
  ) {
    this.name = inner.name;
  }
  async write(key: string, value: StorageBody, options?: StorageWriteOptions): Promise<void> {
    if (key.startsWith(this.refusedPrefix)) {
      throw new StorageError("access_denied", { storage: this.name, key }, "the test refuses writes here");
    }
    return this.inner.write(key, value, options);
  }
  read(key: string): Promise<Uint8Array> {
    return this.inner.read(key);
  }
  readStream(key: string): Promise<Readable> {
    return this.inner.readStream(key);
  }
  stat(key: string): Promise<StorageObjectInfo> {
    return this.inner.stat(key);
  }
  exists(key: string): Promise<boolean> {
    return this.inner.exists(key);
  }
  list(prefix?: string): Promise<string[]> {
    return this.inner.list(prefix);
  }
  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }
}

/** `name -> state name` of a flow run's task runs, in creation order. */
export async function taskStates(
  client: SluiceClient,
  flowRunId: string,
): Promise<Record<string, string | null>> {
  const page = await client.filterTaskRuns({ flowRunIds: [flowRunId] });
  return Object.fromEntries(page.items.map((run) => [run.taskKey, run.stateName]));
}

/** Saves an s3-bucket block named like its bucket on the S3 test server. */
export async function saveBucketBlock(s3: S3TestServer, bucket: string): Promise<void> {
  const { endpoint, region, credentials } = s3;
  await S3Bucket.save(
    bucket,
    {
      bucket,
      endpoint,
      region,
      credentials: { ...credentials },
      forcePathStyle: true,
    },
    { overwrite: true },
  );
}
