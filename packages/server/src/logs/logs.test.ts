import { randomUUID } from "node:crypto";
import { MAX_LOG_MESSAGE_CHARS, type FlowRun, type Log } from "@sluice/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server.js";
import { items, testHttp } from "../testing/test-http.js";

let server: TestServer;
let api: ReturnType<typeof testHttp>;
let run: FlowRun;

beforeAll(async () => {
  server = await startTestServer();
  api = testHttp(server.url);
  run = (await api.post("/api/flow-runs", { flowName: "logs-test" })).body as FlowRun;
});
afterAll(() => server?.close());

const at = (ms: number) => new Date(Date.UTC(2020, 0, 1) + ms).toISOString();

function line(i: number, extra: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    flowRunId: run.id,
    name: "sluice.flow_runs",
    level: 20,
    message: `line ${i}`,
    timestamp: at(Math.floor(i / 2)),
    ...extra,
  };
}

describe("logs", () => {
  it("stores a batch idempotently by id and reads it back in timestamp order, a page at a time", async () => {
    const logs = Array.from({ length: 9 }, (_, i) => line(i));
    expect(await api.post("/api/logs", { logs })).toMatchObject({ status: 201, body: { accepted: 9 } });
    expect((await api.post("/api/logs", { logs })).status).toBe(201);
    const seen: Log[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.post("/api/logs/filter", { flowRunId: run.id, limit: 4, cursor });
      seen.push(...items<Log>(page));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    const expected = [...logs].sort(
      (a, b) => a.timestamp.localeCompare(b.timestamp) || a.id.localeCompare(b.id),
    );
    expect(seen.map((l) => l.id)).toEqual(expected.map((l) => l.id));
    const desc = await api.post("/api/logs/filter", { flowRunId: run.id, sort: "TIMESTAMP_DESC", limit: 2 });
    expect(items<Log>(desc).map((l) => l.id)).toEqual([expected[8]!.id, expected[7]!.id]);
  });

  it("filters by level, text, task run and time", async () => {
    const taskRunId = randomUUID();
    await api.post("/api/logs", {
      logs: [
        line(100, { level: 40, message: "disk 100% full_" }),
        line(101, { level: 10, message: "debug noise" }),
        line(102, { taskRunId, message: "from a task" }),
        { name: "no-id", level: 30, message: "server chooses the id", timestamp: at(500), flowRunId: run.id },
      ],
    });
    const errors = await api.post("/api/logs/filter", { flowRunId: run.id, levelMin: 40 });
    expect(items<Log>(errors).map((l) => l.message)).toEqual(["disk 100% full_"]);
    const text = await api.post("/api/logs/filter", { flowRunId: run.id, text: "100% FULL_" });
    expect(text.body.items).toHaveLength(1);
    const wildcard = await api.post("/api/logs/filter", { flowRunId: run.id, text: "%" });
    expect(wildcard.body.items).toHaveLength(1);
    const task = await api.post("/api/logs/filter", { taskRunId });
    expect(items<Log>(task).map((l) => l.message)).toEqual(["from a task"]);
    const late = await api.post("/api/logs/filter", { flowRunId: run.id, after: at(500), before: at(500) });
    expect(items<Log>(late).map((l) => l.message)).toEqual(["server chooses the id"]);
  });

  it("rejects an oversized line naming the field, and an unknown flow run with 404", async () => {
    const huge = await api.post("/api/logs", {
      logs: [line(0, { message: "x".repeat(MAX_LOG_MESSAGE_CHARS + 1) })],
    });
    expect(huge.status).toBe(400);
    expect(huge.body.details.issues[0].path).toBe("body.logs.0.message");
    const missing = randomUUID();
    const res = await api.post("/api/logs", { logs: [line(0, { flowRunId: missing })] });
    expect(res).toMatchObject({
      status: 404,
      body: { code: "flow_run_not_found", details: { id: missing } },
    });
  });
});
