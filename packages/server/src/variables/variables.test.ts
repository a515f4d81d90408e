import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server.js";
import { issuePaths, items, testHttp } from "../testing/test-http.js";

let server: TestServer;
let api: ReturnType<typeof testHttp>;
// Names unique per run: on PostgreSQL the test database is shared and kept between runs.
const suffix = randomUUID().slice(0, 8);
const name = (base: string) => `${base}_${suffix}`;

beforeAll(async () => {
  server = await startTestServer();
  api = testHttp(server.url);
});
afterAll(() => server.close());

describe("variables", () => {
  it("set creates, set again replaces the value and keeps tags, read and delete", async () => {
    const created = await api.put(`/api/variables/${name("region")}`, { value: "us-east-1", tags: ["aws"] });
    expect(created).toMatchObject({
      status: 200,
      body: { name: name("region"), value: "us-east-1", tags: ["aws"] },
    });
    const replaced = await api.put(`/api/variables/${name("region")}`, { value: { zone: "b", n: 2 } });
    expect(replaced.body).toMatchObject({ value: { zone: "b", n: 2 }, tags: ["aws"] });
    expect((await api.get(`/api/variables/${name("region")}`)).body).toMatchObject({
      value: { zone: "b", n: 2 },
    });
    expect((await api.delete(`/api/variables/${name("region")}`)).status).toBe(200);
    const gone = await api.get(`/api/variables/${name("region")}`);
    expect(gone).toMatchObject({ status: 404, body: { code: "variable_not_found" } });
    expect((await api.delete(`/api/variables/${name("region")}`)).status).toBe(404);
  });

  it("keeps JSON values of every type, null included", async () => {
    for (const value of [null, 0, false, [1, "a"], "text"]) {
      expect((await api.put(`/api/variables/${name("any")}`, { value })).body).toMatchObject({ value });
    }
  });

  it("refuses a bad name, a value over 5,000 characters and a missing value, naming the field", async () => {
    const badName = await api.put("/api/variables/Bad-Name", { value: 1 });
    expect(badName.status).toBe(400);
    expect(issuePaths(badName)).toContain("params.name");
    const long = await api.put(`/api/variables/${name("long")}`, { value: "x".repeat(5000) });
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.body)).toMatch(/limit is 5000/);
    const missing = await api.put(`/api/variables/${name("missing")}`, {});
    expect(issuePaths(missing)).toContain("body.value");
  });

  it("lists by name, filtered by substring and tags, a page at a time", async () => {
    const listSuffix = randomUUID().slice(0, 8);
    const name = (base: string) => `${base}_${listSuffix}`;
    for (const base of ["list_a", "list_b", "list_c"]) {
      await api.put(`/api/variables/${name(base)}`, { value: base, tags: base === "list_b" ? ["x"] : [] });
    }
    const first = await api.post("/api/variables/filter", { nameLike: listSuffix, limit: 2 });
    const names = items<{ name: string }>(first).map((v) => v.name);
    expect(names).toEqual([name("list_a"), name("list_b")]);
    const cursor = (first.body as { nextCursor: string }).nextCursor;
    const second = await api.post("/api/variables/filter", { nameLike: `list_c_${listSuffix}`, limit: 2 });
    expect(items<{ name: string }>(second).map((v) => v.name)).toEqual([name("list_c")]);
    expect(cursor).toBeTruthy();
    const next = await api.post("/api/variables/filter", { nameLike: listSuffix, limit: 2, cursor });
    expect(items<{ name: string }>(next).map((v) => v.name)).toContain(name("list_c"));
    const tagged = await api.post("/api/variables/filter", { nameLike: listSuffix, tags: ["x"] });
    expect(items<{ name: string }>(tagged).map((v) => v.name)).toEqual([name("list_b")]);
  });
});
