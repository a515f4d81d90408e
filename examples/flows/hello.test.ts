import { createClient } from "@sluice/client";
import { closeSdk, configureSdk, LocalStorage, runFlow } from "@sluice/sdk";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { hello } from "./hello.js";

interface TestServer {
  url: string;
  close(this: void): Promise<void>;
}

let server: TestServer;
beforeAll(async () => {
  // Loaded by name at run time, so type-aware lint of this file stays out of the server's dependencies.
  const specifier = "@sluice/server";
  const { startTestServer } = (await import(specifier)) as { startTestServer: () => Promise<TestServer> };
  server = await startTestServer();
  configureSdk({
    apiUrl: server.url,
    resultStore: new LocalStorage(join(mkdtempSync(join(tmpdir(), "sluice-hello-")), "storage")),
  });
});
afterAll(async () => {
  await closeSdk();
  await server.close();
});

it("runs the hello example and records its task runs and artifact", async () => {
  const outcome = await runFlow(hello, { name: "Ada" });
  expect(outcome.result).toEqual({ greeting: "Hello, Ada!", total: 96 });
  const client = createClient({ baseUrl: server.url });
  const taskRuns = await client.filterTaskRuns({ flowRunIds: [outcome.flowRunId] });
  expect(taskRuns.items.map((t) => t.stateType)).toEqual(Array(6).fill("COMPLETED"));
  const artifacts = await client.call("filterArtifacts", { body: { flowRunId: outcome.flowRunId } });
  expect(artifacts.items[0]).toMatchObject({ key: "hello-summary", type: "markdown" });
  const cached = await runFlow(hello, { name: "Ada" });
  const again = await client.filterTaskRuns({ flowRunIds: [cached.flowRunId], stateNames: ["Cached"] });
  expect(again.items.map((t) => t.name)).toEqual(["expensive-greeting-0"]);
});
