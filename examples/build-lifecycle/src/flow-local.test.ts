import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalFileSystem, LocalStorage, runFlow } from "@sluice/sdk";
import { startSdkTestServer, type SdkTestContext } from "@sluice/sdk/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildLifecycle } from "./flow.js";
import { expectedPublishingKeys, expectedRecipesKeys, taskStates } from "./testing/lifecycle-test-support.js";

let sluice: SdkTestContext;
beforeAll(async () => {
  sluice = await startSdkTestServer();
});
afterAll(async () => {
  await sluice?.close();
});

it("runs the same flow on local-file-system blocks (embedded mode), writing the same keys and metadata", async () => {
  const root = mkdtempSync(join(tmpdir(), "sluice-lifecycle-"));
  await LocalFileSystem.save("edm-recipes", { basePath: join(root, "edm-recipes") }, { overwrite: true });
  await LocalFileSystem.save(
    "edm-publishing",
    { basePath: join(root, "edm-publishing") },
    { overwrite: true },
  );
  const params = {
    recipesStorage: "local-file-system/edm-recipes",
    publishingStorage: "local-file-system/edm-publishing",
    timestamp: "20240901T1200",
    branch: "feature-x",
    seed: true,
  };
  const run = await runFlow(buildLifecycle, params);
  expect(run.state.type).toBe("COMPLETED");
  const buildName = "24Q3:20240901T1200:feature-x";
  const recipes = new LocalStorage(join(root, "edm-recipes"));
  const publishing = new LocalStorage(join(root, "edm-publishing"));
  expect(await recipes.list("")).toEqual(expectedRecipesKeys());
  expect(await publishing.list("")).toEqual(expectedPublishingKeys(buildName));
  const lock = await publishing.stat(`db-template/plan/${buildName}/recipe.lock.yml`);
  expect(lock.metadata).toMatchObject({ commit: "unknown", "date-created": expect.any(String) });
  expect(lock.contentType).toBe("application/yaml");
  const loadRecord = JSON.parse(
    new TextDecoder().decode(await publishing.read(`_runs/db-template/${buildName}/load.json`)),
  );
  expect(loadRecord.details.schema).toBe("feature_x");

  const artifacts = await sluice.client.call("filterArtifacts", { body: { flowRunId: run.flowRunId } });
  const link = artifacts.items.find((artifact) => artifact.key === "package-location");
  expect(link?.data).toEqual({
    url: `file://${join(root, "edm-publishing")}/product_datasets/template/package/24Q3/libraries/`,
    text: `the package of ${buildName}`,
  });

  const again = await runFlow(buildLifecycle, params);
  expect(await taskStates(sluice.client, again.flowRunId)).toMatchObject({
    plan: "Cached",
    load: "Cached",
    build: "Cached",
    package: "Cached",
  });
});
