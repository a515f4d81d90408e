import { randomUUID } from "node:crypto";
import type { Artifact, FlowRun } from "@sluice/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server.js";
import { createTestClock } from "../testing/test-clock.js";
import { items, testHttp } from "../testing/test-http.js";

const clock = createTestClock("2020-01-01T00:00:00.000Z");
let server: TestServer;
let api: ReturnType<typeof testHttp>;
let run: FlowRun;
const key = `report-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  server = await startTestServer({ clock });
  api = testHttp(server.url);
  run = (await api.post("/api/flow-runs", { flowName: "artifacts-test" })).body as FlowRun;
});
afterAll(() => server?.close());

async function create(body: Record<string, unknown>): Promise<Artifact> {
  clock.advance(1000);
  const res = await api.post("/api/artifacts", { flowRunId: run.id, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Artifact;
}

describe("artifacts", () => {
  it("versions artifacts by key and reads the latest", async () => {
    const v1 = await create({ key, type: "markdown", data: { markdown: "# v1" } });
    const v2 = await create({ key, type: "table", data: { columns: ["a"], rows: [[1]] } });
    expect((await api.get(`/api/artifacts/${v1.id}`)).body).toEqual(v1);
    expect((await api.get(`/api/artifacts/key/${key}/latest`)).body).toEqual(v2);
    expect((await api.get(`/api/artifacts/key/none-such/latest`)).body.code).toBe("artifact_not_found");
    expect((await api.get(`/api/artifacts/${randomUUID()}`)).status).toBe(404);
  });

  it("lists all versions or only the latest per key, a page at a time", async () => {
    const flowRunId = (await api.post("/api/flow-runs", { flowName: "artifacts-test" })).body.id as string;
    const made: Artifact[] = [];
    for (const k of ["a", "b", "a", "c", "b", "a"]) {
      made.push(
        await create({ flowRunId, key: `${key}-${k}`, type: "link", data: { url: `https://x/${k}` } }),
      );
    }
    const keyless = await create({ flowRunId, type: "markdown", data: { markdown: "loose" } });
    const all: Artifact[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.post("/api/artifacts/filter", { flowRunId, limit: 3, cursor });
      all.push(...items<Artifact>(page));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(all.map((a) => a.id)).toEqual([keyless, ...made.reverse()].map((a) => a.id));
    const latest = await api.post("/api/artifacts/filter", {
      flowRunId,
      latestOnly: true,
      sort: "CREATED_ASC",
    });
    expect(items<Artifact>(latest).map((a) => a.key)).toEqual([`${key}-c`, `${key}-b`, `${key}-a`, null]);
    const links = await api.post("/api/artifacts/filter", { flowRunId, types: ["markdown"] });
    expect(links.body.items).toHaveLength(1);
  });

  it("lists the newest artifact of each key, keys in order, a page at a time, keyless ones left out", async () => {
    const flowRunId = (await api.post("/api/flow-runs", { flowName: "artifacts-test" })).body.id as string;
    const prefix = `keys-${randomUUID().slice(0, 8)}`;
    const newest = new Map<string, Artifact>();
    for (const k of ["b", "a", "c", "a", "b", "a"]) {
      const made = await create({
        flowRunId,
        key: `${prefix}-${k}`,
        type: "progress",
        data: { progress: 1 },
      });
      newest.set(made.key ?? "", made);
    }
    await create({ flowRunId, type: "markdown", data: { markdown: "keyless" } });
    // Walk every page (a shared database holds other runs' keys too), two keys at a time.
    const seen: Artifact[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.post("/api/artifacts/keys", { limit: 2, cursor });
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      expect(items(page).length).toBeLessThanOrEqual(2);
      seen.push(...items<Artifact>(page));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    const keys = seen.map((a) => a.key);
    expect(keys).not.toContain(null);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(keys);
    const mine = seen.filter((a) => a.key?.startsWith(`${prefix}-`));
    expect(mine.map((a) => a.id)).toEqual(["a", "b", "c"].map((k) => newest.get(`${prefix}-${k}`)?.id));
    const bad = await api.post("/api/artifacts/keys", { cursor: "nonsense" });
    expect(bad.body.details.issues[0].path).toBe("body.cursor");
  });

  it("updates progress and descriptions; other types keep their data", async () => {
    const progress = await create({ type: "progress", data: { progress: 10 } });
    clock.advance(500);
    const res = await api.patch(`/api/artifacts/${progress.id}`, {
      data: { progress: 55 },
      description: "loading",
    });
    expect(res.body).toMatchObject({
      data: { progress: 55 },
      description: "loading",
      updatedAt: clock.now().toISOString(),
    });
    const md = await create({ type: "markdown", data: { markdown: "x" } });
    const refused = await api.patch(`/api/artifacts/${md.id}`, { data: { progress: 1 } });
    expect(refused.status).toBe(400);
    expect(refused.body.details.issues[0].path).toBe("body.data");
    expect((await api.patch(`/api/artifacts/${randomUUID()}`, { description: "x" })).body.code).toBe(
      "artifact_not_found",
    );
  });

  it("validates data against the type and keys against their pattern", async () => {
    const bad = await api.post("/api/artifacts", { type: "progress", data: { progress: 500 } });
    expect(bad.status).toBe(400);
    expect(bad.body.details.issues[0].path).toBe("body.data.progress");
    const badKey = await api.post("/api/artifacts", {
      key: "Bad Key",
      type: "markdown",
      data: { markdown: "" },
    });
    expect(badKey.body.details.issues[0].path).toBe("body.key");
    const orphan = await api.post("/api/artifacts", {
      flowRunId: randomUUID(),
      type: "markdown",
      data: { markdown: "" },
    });
    expect(orphan.body.code).toBe("flow_run_not_found");
  });
});
