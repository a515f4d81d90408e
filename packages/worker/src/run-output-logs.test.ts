import { createClient } from "@sluice/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkerTestServer, type WorkerTestServer } from "./testing/test-server.js";
import { isSdkRunLogLine, OUTPUT_LOGGER_NAME, RunOutputLogs } from "./run-output-logs.js";

let server: WorkerTestServer;
beforeAll(async () => {
  server = await startWorkerTestServer();
});
afterAll(() => server?.close());

describe("RunOutputLogs", () => {
  it("tells the SDK's echoed run-log lines from other output", () => {
    expect(isSdkRunLogLine("12:00:01.234 | INFO     | Flow run 'brave-otter' - hello")).toBe(true);
    expect(isSdkRunLogLine("12:00:01.234 | ERROR    | Task run 'load-0' - boom")).toBe(true);
    expect(isSdkRunLogLine("12:00:01.234 | WARNING  | sluice - Received SIGTERM")).toBe(false);
    expect(isSdkRunLogLine("plain output")).toBe(false);
  });

  it("sends output lines in batches, stdout at INFO and stderr at ERROR, skipping SDK echoes", async () => {
    const api = createClient({ baseUrl: server.url });
    const run = await api.createFlowRun({ flowName: "output-logs" });
    const errors: unknown[] = [];
    const logs = new RunOutputLogs(api, run.id, { maxPending: 2, onError: (e) => errors.push(e) });
    logs.add("stdout", "one");
    logs.add("stderr", "12:00:01.234 | INFO     | Flow run 'x' - already logged");
    logs.add("stderr", "two");
    logs.add("stdout", "three");
    await logs.flush();
    const page = await api.filterLogs({ flowRunId: run.id });
    expect(page.items.map((l) => [l.name, l.level, l.message])).toEqual([
      [OUTPUT_LOGGER_NAME, 20, "one"],
      [OUTPUT_LOGGER_NAME, 40, "two"],
      [OUTPUT_LOGGER_NAME, 20, "three"],
    ]);
    expect(errors).toEqual([]);
  });
});
