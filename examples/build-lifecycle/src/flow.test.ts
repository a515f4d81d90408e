import { runFlow } from "@sluice/sdk";
import {
  startS3TestServer,
  startSdkTestServer,
  type S3TestServer,
  type SdkTestContext,
} from "@sluice/sdk/testing";
import { parse } from "yaml";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildLifecycle } from "./flow.js";
import { BuildMetadata } from "./formats/build-metadata.js";
import { SOURCE_DATA_VERSIONS_COLUMNS } from "./formats/source-data-versions.js";
import { parseRecipe } from "./recipe/recipe-file.js";
import {
  expectedPublishingKeys,
  expectedRecipesKeys,
  saveBucketBlock,
  taskStates,
} from "./testing/lifecycle-test-support.js";

const NEW_YORK_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[45]:00$/;
const BUILD = "24Q3:20240601T1430:main";

let sluice: SdkTestContext;
let s3: S3TestServer;
beforeAll(async () => {
  [sluice, s3] = await Promise.all([
    startSdkTestServer(),
    startS3TestServer({ buckets: ["edm-recipes", "edm-publishing"] }),
  ]);
  await saveBucketBlock(s3, "edm-recipes");
  await saveBucketBlock(s3, "edm-publishing");
});
afterAll(async () => {
  await sluice?.close();
  await s3?.close();
});

const text = async (bucket: string, key: string) =>
  new TextDecoder().decode(await s3.storage(bucket).read(key));

it("seeds, plans, loads, builds and packages through s3-bucket blocks, writing dcpy's formats", async () => {
  const run = await runFlow(buildLifecycle, { timestamp: "20240601T1430", seed: true, commit: "0123abc" });
  expect(run.state.type).toBe("COMPLETED");
  expect(run.result).toMatchObject({
    buildName: BUILD,
    packageLocation: "product_datasets/template/package/24Q3/libraries/",
    stages: ["plan", "load", "build", "package"].map((stage) => ({ stage, state: "Completed" })),
  });
  for (const stage of run.result!.stages) expect(stage.bodyMs, stage.stage).toBeGreaterThan(0);
  expect(await taskStates(sluice.client, run.flowRunId)).toEqual({
    "seed-bpl-libraries": "Completed",
    plan: "Completed",
    load: "Completed",
    build: "Completed",
    package: "Completed",
  });

  const recipes = s3.storage("edm-recipes");
  const publishing = s3.storage("edm-publishing");
  expect(await recipes.list("")).toEqual(expectedRecipesKeys());
  expect(await publishing.list("")).toEqual(expectedPublishingKeys(BUILD));
  for (const [storage, keys] of [
    [recipes, expectedRecipesKeys()],
    [publishing, expectedPublishingKeys(BUILD)],
  ] as const) {
    for (const key of keys) {
      const { metadata } = await storage.stat(key);
      expect(metadata["date-created"], key).toMatch(NEW_YORK_ISO);
      expect(metadata.commit, key).toBe("0123abc");
    }
  }

  const lockText = await text("edm-publishing", `db-template/plan/${BUILD}/recipe.lock.yml`);
  const lock = parseRecipe(lockText, "recipe.lock.yml");
  expect(lock).toMatchObject({ version: "24Q3", branch: "main", build_name: BUILD });
  expect(lock.env).toEqual({ BUILD_ENGINE_DB: "db-template", BUILD_ENGINE_SCHEMA: "main", VERSION: "24Q3" });
  expect(lock.inputs.datasets).toEqual([
    expect.objectContaining({
      id: "bpl_libraries",
      name: "BPL Libraries",
      version: "20240105",
      file_type: "csv",
      source: "edm.recipes.datasets",
      destination: "postgres",
      load_engine: "pandas",
      import_as: null,
      archive_date: expect.stringMatching(NEW_YORK_ISO),
      url: "https://www.bklynlibrary.org/locations",
    }),
  ]);
  const topKeys = lockText
    .split("\n")
    .filter((line) => /^[a-z_]+:/.test(line))
    .map((line) => line.split(":")[0]);
  expect(topKeys).toEqual([...topKeys].sort());
  expect(lockText).toContain("base_recipe: null\n");
  expect(await text("edm-publishing", `db-template/build/${BUILD}/recipe.lock.yml`)).toBe(lockText);

  const versions = await text("edm-publishing", `db-template/build/${BUILD}/source_data_versions.csv`);
  const [header, row] = versions.trim().split("\n");
  expect(header).toBe(SOURCE_DATA_VERSIONS_COLUMNS.join(","));
  expect(row).toMatch(
    /^bpl_libraries,BPL Libraries,20240105,csv,[^,]+,https:\/\/www\.bklynlibrary\.org\/locations$/,
  );
  expect(
    await text("edm-publishing", `db-template/build/${BUILD}/attachments/source_data_versions.csv`),
  ).toBe(versions);

  const metadata = BuildMetadata.parse(
    JSON.parse(await text("edm-publishing", `db-template/build/${BUILD}/build_metadata.json`)),
  );
  expect(metadata).toMatchObject({
    version: "24Q3",
    commit: "0123abc",
    load_result: null,
    draft_revision_name: null,
  });
  expect(metadata.timestamp).toMatch(NEW_YORK_ISO);
  const loadRecord = JSON.parse(await text("edm-publishing", `_runs/db-template/${BUILD}/load.json`));
  expect(loadRecord.details).toMatchObject({ schema: "main", datasets_loaded: 1 });

  const libraries = await text("edm-publishing", `db-template/build/${BUILD}/dataset_files/libraries.csv`);
  expect(libraries.split("\n")[0]).toBe("library_name,borough,wkb_geometry");
  expect(libraries).toContain("SYNTHETIC ROW 1");
  const pkg = "product_datasets/template/package/24Q3/libraries";
  expect(await text("edm-publishing", `${pkg}/dataset_files/libraries.csv`)).toBe(libraries);
  expect(parse(await text("edm-publishing", `${pkg}/metadata.yml`))).toMatchObject({
    id: "libraries",
    columns: [{ id: "library_name" }, { id: "borough" }, { id: "wkb_geometry" }],
    files: [{ file: { filename: "libraries.csv", type: "csv" } }],
    custom: { product: "template", version: "24Q3", build_name: BUILD },
  });

  const artifacts = await sluice.client.call("filterArtifacts", { body: { flowRunId: run.flowRunId } });
  const byKey = Object.fromEntries(artifacts.items.map((artifact) => [artifact.key, artifact]));
  for (const stage of ["plan", "load", "build", "package"]) {
    expect(byKey[`${stage}-summary`]?.type).toBe("markdown");
    expect(byKey[`${stage}-source-data-versions`]).toMatchObject({
      type: "table",
      data: {
        columns: [...SOURCE_DATA_VERSIONS_COLUMNS],
        rows: [expect.arrayContaining(["bpl_libraries", "20240105"])],
      },
    });
    expect(byKey[`${stage}-location`]?.type).toBe("link");
  }
  expect(byKey["package-location"]?.data).toMatchObject({ url: `s3://edm-publishing/${pkg}/` });
  expect(byKey["build-lifecycle-summary"]?.type).toBe("markdown");
});

it("re-running a build_name is idempotent: every stage is Cached and nothing is rewritten", async () => {
  const publishing = s3.storage("edm-publishing");
  const before = await Promise.all(expectedPublishingKeys(BUILD).map((key) => publishing.stat(key)));
  const run = await runFlow(buildLifecycle, { timestamp: "20240601T1430", seed: true, commit: "0123abc" });
  expect(run.state.type).toBe("COMPLETED");
  expect(run.result?.stages.map((stage) => stage.state)).toEqual(["Cached", "Cached", "Cached", "Cached"]);
  expect(run.result?.stages.map((stage) => stage.bodyMs)).toEqual([0, 0, 0, 0]);
  expect(await taskStates(sluice.client, run.flowRunId)).toEqual({
    "seed-bpl-libraries": "Completed",
    plan: "Cached",
    load: "Cached",
    build: "Cached",
    package: "Cached",
  });
  const after = await Promise.all(expectedPublishingKeys(BUILD).map((key) => publishing.stat(key)));
  expect(after.map((info) => info.metadata["date-created"])).toEqual(
    before.map((info) => info.metadata["date-created"]),
  );
  expect(await s3.storage("edm-recipes").list("")).toEqual(expectedRecipesKeys());
});

it("draft and publish (optional) promote the build to a revision, then to the version and latest", async () => {
  const params = { timestamp: "20240602T0800", draft: true, publish: true, buildNote: "first try" };
  const run = await runFlow(buildLifecycle, params);
  expect(run.state.type).toBe("COMPLETED");
  const buildName = "24Q3:20240602T0800:main";
  expect(run.result?.stages.map((stage) => [stage.stage, stage.state])).toEqual([
    ["plan", "Completed"],
    ["load", "Completed"],
    ["build", "Completed"],
    ["package", "Completed"],
    ["draft", "Completed"],
    ["publish", "Completed"],
  ]);
  const publishing = s3.storage("edm-publishing");
  const files = [
    "attachments/source_data_versions.csv",
    "build_metadata.json",
    "dataset_files/libraries.csv",
    "recipe.lock.yml",
    "source_data_versions.csv",
  ];
  for (const folder of [
    "db-template/draft/24Q3/1-first try/",
    "db-template/publish/24Q3/",
    "db-template/publish/latest/",
  ]) {
    expect(await publishing.list(folder)).toEqual(files.map((file) => `${folder}${file}`));
    const metadata = BuildMetadata.parse(
      JSON.parse(await text("edm-publishing", `${folder}build_metadata.json`)),
    );
    expect(metadata).toMatchObject({ draft_revision_name: "1-first try", recipe: { build_name: buildName } });
  }
  const again = await runFlow(buildLifecycle, params);
  expect(again.result?.stages.map((stage) => stage.state)).toEqual(Array(6).fill("Cached"));
  expect(await publishing.list("db-template/draft/24Q3/")).toHaveLength(files.length);
});
