import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SluiceApiError } from "./errors.js";
import { createClient, type SluiceClient } from "./sluice-client.js";

interface TestServer {
  url: string;
  close(this: void): Promise<void>;
}

let server: TestServer;
let client: SluiceClient;
beforeAll(async () => {
  // The client never depends on the server; only this test starts one (loaded by name at run time).
  const specifier = "@sluice/server";
  const { startTestServer } = (await import(specifier)) as { startTestServer: () => Promise<TestServer> };
  server = await startTestServer();
  client = createClient({ baseUrl: server.url });
});
afterAll(() => server.close());

describe("client against the real server", () => {
  it("creates a flow run idempotently by client-chosen id and moves it through states", async () => {
    const id = randomUUID();
    const created = await client.createFlowRun({ id, flowName: "client-test", state: { type: "RUNNING" } });
    expect(created).toMatchObject({ id, flowName: "client-test", stateType: "RUNNING" });
    // A retried create (same id) is harmless.
    expect((await client.createFlowRun({ id, flowName: "client-test", state: { type: "RUNNING" } })).id).toBe(
      id,
    );
    const answer = await client.setFlowRunState(id, { state: { type: "COMPLETED" } });
    expect(answer).toMatchObject({ status: "ACCEPT", state: { type: "COMPLETED" } });
    const states = await client.call("readFlowRunStates", { params: { id } });
    expect(states.map((s) => s.type)).toEqual(["RUNNING", "COMPLETED"]);
  });

  it("turns 404 and 409 bodies into SluiceApiError with stable codes", async () => {
    const missing = await client.readFlowRun(randomUUID()).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(SluiceApiError);
    expect(missing).toMatchObject({ status: 404, code: "flow_run_not_found" });
    const id = randomUUID();
    await client.createFlowRun({ id, flowName: "client-test", state: { type: "RUNNING" } });
    await client.setFlowRunState(id, { state: { type: "COMPLETED" } });
    const rejected = await client
      .setFlowRunState(id, { state: { type: "RUNNING" } })
      .catch((e: unknown) => e);
    expect(rejected).toMatchObject({ status: 409, code: "invalid_state_transition" });
  });

  it("reports invalid bodies as validation_failed with the failing fields", async () => {
    const error = await client
      .call("createFlowRun", {
        body: { flowName: "client-test", parameters: "nope" as unknown as Record<string, unknown> },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: "validation_failed" });
    expect((error as SluiceApiError).details?.issues?.length).toBeGreaterThan(0);
  });
});
