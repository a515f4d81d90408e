import type { Storage } from "@sluice/sdk";
import { z } from "zod";
import type { BuildContext } from "../build-context.js";
import { parseBuildMetadata } from "../formats/build-metadata.js";
import { parseSourceDataVersions } from "../formats/source-data-versions.js";
import { productKey, publishingKeys } from "../storage/layout.js";
import { readInput, storageLabel, writeObject } from "../storage/objects.js";
import { recordStage, type StageInput, type StageResult } from "./stage-result.js";

/** Copies every object under `from` to `to` (same relative keys); `rewrite` may replace a body by file. */
async function copyFolder(
  storage: Storage,
  from: string,
  to: string,
  build: BuildContext,
  rewrite: (file: string, body: string) => string = (_file, body) => body,
): Promise<string[]> {
  const written: string[] = [];
  for (const key of await storage.list(from)) {
    const file = key.slice(from.length);
    const body = rewrite(file, new TextDecoder().decode(await storage.read(key)));
    await writeObject(storage, `${to}${file}`, body, build);
    written.push(`${to}${file}`);
  }
  return written;
}

/** The draft revision already made from this build, if any: draft is idempotent per build. */
async function existingRevision(
  storage: Storage,
  folder: string,
  buildName: string,
): Promise<string | undefined> {
  const revisions = new Set(
    (await storage.list(folder)).map((key) => key.slice(folder.length).split("/")[0]!),
  );
  for (const revision of revisions) {
    const key = `${folder}${revision}/build_metadata.json`;
    if (!(await storage.exists(key))) continue;
    const metadata = parseBuildMetadata(new TextDecoder().decode(await storage.read(key)), key);
    if (metadata.recipe.build_name === buildName) return revision;
  }
  return undefined;
}

/** How many revisions a draft folder holds. */
async function revisionCount(storage: Storage, folder: string): Promise<number> {
  return new Set((await storage.list(folder)).map((key) => key.slice(folder.length).split("/")[0])).size;
}

/**
 * draft (optional): promotes `build/<build_name>/` to `draft/<version>/<n[-build_note]>/`, with
 * build_metadata.json's draft_revision_name set, as dcpy's promote_to_draft does.
 */
export async function draft(input: StageInput): Promise<StageResult> {
  const { build, storage } = input;
  const buildFolder = publishingKeys.buildFolder(build.product, build.buildName);
  const metadataKey = `${buildFolder}build_metadata.json`;
  const hint = "run build for this build first";
  const versionsText = await readInput(
    storage.publishing,
    `${buildFolder}attachments/source_data_versions.csv`,
    "draft",
    hint,
  );
  parseBuildMetadata(await readInput(storage.publishing, metadataKey, "draft", hint), metadataKey);
  const versionFolder = `${productKey(build.product)}/draft/${build.version}/`;
  const revision =
    (await existingRevision(storage.publishing, versionFolder, build.buildName)) ??
    [(await revisionCount(storage.publishing, versionFolder)) + 1, build.buildNote].filter(Boolean).join("-");
  const draftFolder = `${versionFolder}${revision}/`;
  const keys = await copyFolder(storage.publishing, buildFolder, draftFolder, build, (file, body) => {
    if (file !== "build_metadata.json") return body;
    const metadata = parseBuildMetadata(body, metadataKey);
    return `${JSON.stringify({ ...metadata, draft_revision_name: revision }, null, 4)}\n`;
  });
  return recordStage(storage.publishing, build, {
    stage: "draft",
    location: draftFolder,
    bucket: storageLabel(storage.publishing),
    keys,
    sourceDataVersions: parseSourceDataVersions(versionsText, "source_data_versions.csv"),
    details: { draft_key: draftFolder.slice(0, -1), draft_version: build.version, draft_revision: revision },
  });
}

const DraftRecord = z.object({ location: z.string(), details: z.object({ draft_revision: z.string() }) });

/**
 * publish (optional): copies the draft this build made (named in draft's record) to `publish/<version>/`
 * and `publish/latest/`, as dcpy's publish with `latest=True` does.
 */
export async function publish(input: StageInput): Promise<StageResult> {
  const { build, storage } = input;
  const recordKey = publishingKeys.stageResult(build.product, build.buildName, "draft");
  const record = DraftRecord.parse(
    JSON.parse(await readInput(storage.publishing, recordKey, "publish", "run draft for this build first")),
  );
  const versionsText = await readInput(
    storage.publishing,
    `${record.location}attachments/source_data_versions.csv`,
    "publish",
    "the draft must stay in place until it is published",
  );
  const publishFolder = `${productKey(build.product)}/publish/${build.version}/`;
  const keys = [
    ...(await copyFolder(storage.publishing, record.location, publishFolder, build)),
    ...(await copyFolder(
      storage.publishing,
      record.location,
      `${productKey(build.product)}/publish/latest/`,
      build,
    )),
  ];
  return recordStage(storage.publishing, build, {
    stage: "publish",
    location: publishFolder,
    bucket: storageLabel(storage.publishing),
    keys,
    sourceDataVersions: parseSourceDataVersions(versionsText, "source_data_versions.csv"),
    details: {
      publish_key: publishFolder.slice(0, -1),
      version: build.version,
      draft_revision: record.details.draft_revision,
    },
  });
}
