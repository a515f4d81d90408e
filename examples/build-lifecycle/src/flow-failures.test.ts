import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runFlow, type Storage } from "@sluice/sdk";
import {
  startS3TestServer,
  startSdkTestServer,
  type S3TestServer,
  type SdkTestContext,
} from "@sluice/sdk/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildLifecycle, createBuildLifecycle, PACKAGE_DIR } from "./flow.js";
import { seedBplLibraries } from "./seed.js";
import { build } from "./stages/build.js";
import { draft, publish } from "./stages/draft-publish.js";
import { load } from "./stages/load.js";
import { packageBuild } from "./stages/package.js";
import {
  expectedPublishingKeys,
  RefusingStorage,
  saveBucketBlock,
  taskStates,
} from "./testing/lifecycle-test-support.js";

let sluice: SdkTestContext;
let s3: S3TestServer;
beforeAll(async () => {
  [sluice, s3] = await Promise.all([startSdkTestServer(), startS3TestServer()]);
});
afterAll(async () => {
  await sluice?.close();
  await s3?.close();
});

/** A fresh pair of buckets (and blocks of the same names) for one scenario. */
async function buckets(scenario: string): Promise<{ recipes: Storage; publishing: Storage; params: object }> {
  const names = [`edm-recipes-${scenario}`, `edm-publishing-${scenario}`] as const;
  for (const name of names) {
    await s3.createBucket(name);
    await saveBucketBlock(s3, name);
  }
  return {
    recipes: s3.storage(names[0]),
    publishing: s3.storage(names[1]),
    params: { recipesStorage: `s3-bucket/${names[0]}`, publishingStorage: `s3-bucket/${names[1]}` },
  };
}

function errorText(run: { error?: unknown }): string {
  return run.error instanceof Error ? run.error.message : String(run.error);
}

describe("a failure at each stage stops the lifecycle there, and a retry reuses what earlier stages stored", () => {
  it("plan: no latest config.json", async () => {
    const { recipes, publishing, params } = await buckets("plan");
    const run = await runFlow(buildLifecycle, { ...params, timestamp: "20240701T0900" });
    expect(run.state.type).toBe("FAILED");
    expect(errorText(run)).toContain(
      "plan: edm-recipes-plan has no datasets/bpl_libraries/latest/config.json",
    );
    expect(await taskStates(sluice.client, run.flowRunId)).toEqual({ plan: "Failed" });
    expect(await publishing.list("")).toEqual([]);

    await seedBplLibraries(recipes);
    const retry = await runFlow(buildLifecycle, { ...params, timestamp: "20240701T0900" });
    expect(retry.state.type).toBe("COMPLETED");
    expect(retry.result?.stages.map((stage) => stage.state)).toEqual(Array(4).fill("Completed"));
    expect(await publishing.list("")).toEqual(expectedPublishingKeys("24Q3:20240701T0900:main"));
  });

  it("load: the source file lacks a column its config.json declares", async () => {
    const { recipes, publishing, params } = await buckets("load");
    await seedBplLibraries(recipes);
    await recipes.write("datasets/bpl_libraries/20240105/bpl_libraries.csv", "title,geom\n");
    const run = await runFlow(buildLifecycle, { ...params, timestamp: "20240701T0900" });
    expect(run.state.type).toBe("FAILED");
    expect(errorText(run)).toBe(
      "load: edm-recipes-load datasets/bpl_libraries/20240105/bpl_libraries.csv lacks the column(s) address its config.json declares",
    );
    expect(await taskStates(sluice.client, run.flowRunId)).toEqual({ plan: "Completed", load: "Failed" });
    expect(await publishing.list("db-template/build/")).toEqual([]);

    const reseeded = await seedBplLibraries(recipes);
    expect(reseeded.written).toEqual(["datasets/bpl_libraries/20240105/bpl_libraries.csv"]);
    const retry = await runFlow(buildLifecycle, { ...params, timestamp: "20240701T0900" });
    expect(retry.state.type).toBe("COMPLETED");
    expect(await taskStates(sluice.client, retry.flowRunId)).toEqual({
      plan: "Cached",
      load: "Completed",
      build: "Completed",
      package: "Completed",
    });
  });

  for (const [stage, refused, cached] of [
    ["build", "db-template/build/24Q3:20240701T0900:main/dataset_files/", ["plan", "load"]],
    ["package", "product_datasets/", ["plan", "load", "build"]],
  ] as const) {
    it(`${stage}: edm-publishing refuses its writes`, async () => {
      const { recipes, publishing } = await buckets(stage);
      await seedBplLibraries(recipes);
      const refusing = createBuildLifecycle({
        storage: { recipes, publishing: new RefusingStorage(publishing, refused) },
      });
      const run = await runFlow(refusing, { timestamp: "20240701T0900" });
      expect(run.state.type).toBe("FAILED");
      expect(errorText(run)).toMatch(new RegExp(`^access denied \\(storage .*, key "${refused}`));
      const states = await taskStates(sluice.client, run.flowRunId);
      expect(states).toEqual({
        ...Object.fromEntries(cached.map((s) => [s, "Completed"])),
        [stage]: "Failed",
      });

      const fixed = createBuildLifecycle({ storage: { recipes, publishing } });
      const retry = await runFlow(fixed, { timestamp: "20240701T0900" });
      expect(retry.state.type).toBe("COMPLETED");
      const retried = await taskStates(sluice.client, retry.flowRunId);
      for (const name of ["plan", "load", "build", "package"]) {
        expect(retried[name], name).toBe(
          (cached as readonly string[]).includes(name) ? "Cached" : "Completed",
        );
      }
      expect(await publishing.list("")).toEqual(expectedPublishingKeys("24Q3:20240701T0900:main"));
    });
  }
});

it("without a timestamp, the build name takes the run's start, kept for the run by a cached task", async () => {
  const { recipes, publishing } = await buckets("now");
  const lifecycle = createBuildLifecycle({ storage: { recipes, publishing } });
  const run = await runFlow(lifecycle, { seed: true, branch: "nightly" });
  expect(run.state.type).toBe("COMPLETED");
  const [, timestamp] = /^24Q3:(\d{8}T\d{4}):nightly$/.exec(run.result!.buildName) ?? [];
  expect(timestamp).toBeDefined();
  const states = await taskStates(sluice.client, run.flowRunId);
  expect(states["build-timestamp"]).toBe("Completed");
  expect(await publishing.list("")).toEqual(expectedPublishingKeys(run.result!.buildName));
});

it("refuses an invalid recipe naming the field, and a recipe path outside the recipes directory", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sluice-recipes-"));
  const recipe = readFileSync(join(PACKAGE_DIR, "recipe.yml"), "utf8");
  writeFileSync(
    join(dir, "bad.yml"),
    recipe.replace("    - name: bpl_libraries", "    - name: bpl_libraries\n      dataset: x"),
  );
  const { recipes, publishing } = await buckets("recipe");
  const lifecycle = createBuildLifecycle({ storage: { recipes, publishing }, recipesDir: dir });
  const bad = await runFlow(lifecycle, { recipePath: "bad.yml", timestamp: "20240701T0900" });
  expect(bad.state.type).toBe("FAILED");
  expect(errorText(bad)).toBe("bad.yml is not a valid recipe: inputs.datasets.0.dataset: unknown field");
  expect(await taskStates(sluice.client, bad.flowRunId)).toEqual({});
  const outside = await runFlow(lifecycle, { recipePath: "../recipe.yml", timestamp: "20240701T0900" });
  expect(errorText(outside)).toBe(`recipePath: ../recipe.yml is outside ${dir}`);
});

describe("each stage called directly fails naming the key the previous stage should have stored", () => {
  const context = {
    product: "template",
    version: "24Q3",
    branch: "main",
    timestamp: "20240801T0000",
    buildName: "24Q3:20240801T0000:main",
    buildNote: null,
    commit: null,
  };
  for (const [name, stage, key] of [
    ["load", load, "db-template/plan/24Q3:20240801T0000:main/recipe.lock.yml"],
    ["build", build, "db-template/build/24Q3:20240801T0000:main/recipe.lock.yml"],
    ["package", packageBuild, "db-template/build/24Q3:20240801T0000:main/recipe.lock.yml"],
    ["draft", draft, "db-template/build/24Q3:20240801T0000:main/attachments/source_data_versions.csv"],
    ["publish", publish, "_runs/db-template/24Q3:20240801T0000:main/draft.json"],
  ] as const) {
    it(name, async () => {
      const { recipes, publishing } = await buckets(`direct-${name}`);
      await expect(stage({ storage: { recipes, publishing }, build: context })).rejects.toThrow(
        `${name}: edm-publishing-direct-${name} has no ${key}`,
      );
    });
  }
});
