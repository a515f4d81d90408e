import { OpenAPIHono } from "@hono/zod-openapi";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server.js";
import { mountUi } from "./ui-static.js";

let parent: string;
let app: OpenAPIHono;

beforeAll(async () => {
  // dist/ holds the build; secret.txt sits next to it, where no URL may reach.
  parent = await mkdtemp(join(tmpdir(), "sluice-ui-"));
  const dist = join(parent, "dist");
  await mkdir(join(dist, "assets"), { recursive: true });
  await writeFile(join(dist, "index.html"), "<!doctype html><div id=root></div>");
  await writeFile(join(dist, "assets", "app-1a2b.js"), "console.log(1)");
  await writeFile(join(dist, "robots.txt"), "User-agent: *");
  await writeFile(join(parent, "secret.txt"), "not for the web");
  app = new OpenAPIHono();
  mountUi(app, dist);
});
afterAll(() => rm(parent, { recursive: true, force: true }));

describe("the web UI's static files", () => {
  it("serves index.html at / and for client routes such as /runs/{id}", async () => {
    for (const path of ["/", "/runs", "/runs/5f0c8a7e-2d1b-4c55-9b8e-0e4c1f1a2b3c", "/work-pools?x=1"]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(await res.text()).toContain("<div id=root>");
    }
  });

  it("serves built files with their type, hashed assets cached for good", async () => {
    const js = await app.request("/assets/app-1a2b.js");
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toContain("immutable");
    expect(await js.text()).toBe("console.log(1)");
    const robots = await app.request("/robots.txt");
    expect(robots.headers.get("cache-control")).toBe("no-cache");
    expect(await robots.text()).toBe("User-agent: *");
    expect((await app.request("/assets/app-0000.js")).status).toBe(404);
  });

  it("never serves a file outside the build directory", async () => {
    for (const path of [
      "/../secret.txt",
      "/%2e%2e/secret.txt",
      "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
      "/%00",
    ]) {
      const res = await app.request(path);
      const body = await res.text();
      expect(body, path).not.toContain("not for the web");
    }
  });

  it("leaves /api paths to the API", async () => {
    expect((await app.request("/api/nope")).status).toBe(404);
  });

  it("explains how to build the UI when there is no build", async () => {
    const bare = new OpenAPIHono();
    mountUi(bare, join(parent, "missing"));
    const res = await bare.request("/runs/abc");
    expect(res.status).toBe(503);
    const body = await res.text();
    expect(body).toContain("The web UI is not built");
    expect(body).toContain("npm run build");
  });
});

describe("the server", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it("serves the built UI at / and at a flow run's page (FLOW_RUN_PAGE_PATH)", async () => {
    for (const path of ["/", "/runs/5f0c8a7e-2d1b-4c55-9b8e-0e4c1f1a2b3c"]) {
      const res = await fetch(server.url + path);
      const body = await res.text();
      expect(res.status, `${path}: is packages/ui built? (npm run build)`).toBe(200);
      expect(body).toContain('<div id="root"></div>');
      expect(body).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
    }
    const docs = await fetch(`${server.url}/api/docs`);
    expect(await docs.text()).toContain("Sluice API reference");
  });
});
