/**
 * The management pages in a real browser (Debian's chromium through playwright-core) against a real
 * server serving the built UI: work pools with a real `sluice worker start` process online and its
 * heartbeat shown, a variable created and edited through the form, and a deployment concurrency
 * limit with one run holding the slot and one waiting. With SLUICE_UPDATE_SCREENSHOTS=1 it saves
 * docs/screenshots/{work-pools,work-pool,variables,artifacts,concurrency}.png (1366x768, light) and
 * concurrency-dark.png.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { startTestServer, type TestServer } from "@sluice/server";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsRun, launchChromium } from "./support/chromium.js";
import { CLI, ROOT } from "./support/cli-process.js";
import { saveScreenshot } from "./support/screenshots.js";

const browserTests = browserTestsRun("the browser test");
/** The page answers within seconds; the generous bound is for a loaded CI machine. */
const POLL = { timeout: 20_000 };

async function send<T>(server: TestServer, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(server.url + path, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

describe.skipIf(!browserTests)("the management pages in chromium", () => {
  const suffix = randomUUID().slice(0, 6);
  const pool = `e2e-ui-${suffix}`;
  const limitedPool = `e2e-ui-limited-${suffix}`;
  let server: TestServer;
  let browser: Browser;
  let worker: ChildProcess | undefined;
  let workerOutput = "";

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    await send(server, "POST", "/api/work-pools", { name: pool, concurrencyLimit: 4 });
    worker = spawn(
      process.execPath,
      [...CLI, "worker", "start", "--pool", pool, "--name", `worker-${suffix}`],
      {
        cwd: ROOT,
        env: { ...process.env, SLUICE_API_URL: server.url, NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    worker.stdout?.on("data", (c: Buffer) => (workerOutput += c.toString()));
    worker.stderr?.on("data", (c: Buffer) => (workerOutput += c.toString()));
  }, 180_000);
  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker?.once("exit", resolve));
      worker.kill("SIGTERM");
      await exited;
    }
    await browser?.close();
    await server?.close();
  });

  it(
    "shows work pools with a live worker, edits a variable, and shows who holds and waits for a slot",
    { timeout: 180_000 },
    async () => {
      // A deployment limited to one run at a time in a pool no worker serves: the claim (the route a
      // worker calls) gives the slot to the first run and marks the second waiting for it.
      await send(server, "POST", "/api/work-pools", { name: limitedPool });
      const deployment = await send<{ id: string }>(server, "POST", "/api/deployments", {
        flowName: "nightly-etl",
        name: `one-at-a-time-${suffix}`,
        entrypoint: "flows/etl.ts:etl",
        workPoolName: limitedPool,
        concurrencyLimit: 1,
      });
      for (const name of ["holds-the-slot", "waits-for-it"]) {
        await send(server, "POST", `/api/deployments/${deployment.id}/runs`, { name });
      }
      await send(server, "POST", `/api/work-pools/${limitedPool}/claim`, { workerName: "manual", limit: 10 });
      const key = `sales-report-${suffix}`;
      for (const [i, total] of [1200, 1350].entries()) {
        const run = await send<{ id: string }>(server, "POST", "/api/flow-runs", {
          flowName: "sales-report",
          name: `report-${i + 1}`,
        });
        await send(server, "POST", "/api/artifacts", {
          flowRunId: run.id,
          key,
          type: "markdown",
          description: `Daily sales, day ${i + 1}`,
          data: {
            markdown: `# Sales\n\n| region | total |\n| - | - |\n| north | ${total} |\n| south | ${total / 2} |`,
          },
        });
      }

      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      page.on("console", (message) => message.type() === "error" && errors.push(message.text()));

      // Work pools: the real worker's heartbeat makes the pool READY with one online worker.
      await page.goto(`${server.url}/work-pools`);
      const row = page.getByTestId("work-pool-row").filter({ hasText: pool }).first();
      await expect
        .poll(() => row.getByTestId("pool-online-workers").textContent(), {
          timeout: 60_000,
          message: workerOutput,
        })
        .toBe("1");
      expect(await row.getByTestId("status").textContent()).toBe("READY");
      await saveScreenshot(page, "work-pools");
      await row.getByRole("link", { name: pool }).click();
      const workerRow = page.getByTestId("worker-row").filter({ hasText: `worker-${suffix}` });
      await expect.poll(() => workerRow.textContent(), POLL).toContain("ONLINE");
      await expect
        .poll(() => workerRow.getByTestId("worker-heartbeat").textContent(), POLL)
        .toMatch(/^\d+ s ago$/);
      await saveScreenshot(page, "work-pool");

      // Variables: a bad value is named before sending; a good one is created, then edited.
      await page.getByRole("link", { name: "Variables" }).click();
      await page.getByTestId("new-variable").click();
      const name = `warehouse_${suffix}`;
      await page.getByTestId("variable-name").fill(name);
      await page.getByTestId("variable-value").fill("{region: eu}");
      await page.getByTestId("variable-save").click();
      await expect
        .poll(() => page.getByTestId("value-error").textContent(), POLL)
        .toContain("not valid JSON");
      await page.getByTestId("variable-value").fill('{"region": "eu-west-1", "size": "small"}');
      await page.getByTestId("variable-tags").fill("warehouse, prod");
      await page.getByTestId("variable-save").click();
      const variable = page.getByTestId("variable-row").filter({ hasText: name });
      await expect.poll(() => variable.textContent(), POLL).toContain('"region":"eu-west-1"');
      await variable.getByTestId("edit-variable").click();
      await page.getByTestId("variable-value").fill('{"region": "eu-west-1", "size": "large"}');
      await page.getByTestId("variable-save").click();
      await expect.poll(() => variable.textContent(), POLL).toContain('"size":"large"');
      expect(await send(server, "GET", `/api/variables/${name}`)).toMatchObject({
        value: { region: "eu-west-1", size: "large" },
        tags: ["warehouse", "prod"],
      });
      await saveScreenshot(page, "variables");

      // Artifacts: the key's page renders the latest version and lists both.
      await page.goto(`${server.url}/artifacts/key/${key}`);
      await expect.poll(() => page.getByTestId("artifact-version").count(), POLL).toBe(2);
      expect(await page.getByTestId("artifact").textContent()).toContain("1350");
      await saveScreenshot(page, "artifacts");

      // Concurrency: the deployment's one slot, its holder and its waiter.
      await page.getByRole("link", { name: "Concurrency" }).click();
      const card = page.locator(`[data-name="nightly-etl/one-at-a-time-${suffix}"]`);
      await expect
        .poll(() => card.getByTestId("limit-slots").textContent(), POLL)
        .toContain("1 / 1 slots in use");
      expect(await card.getByTestId("holders").getByTestId("slot-run").allTextContents()).toEqual([
        expect.stringContaining("holds-the-slot"),
      ]);
      expect(await card.getByTestId("waiters").getByTestId("slot-run").allTextContents()).toEqual([
        expect.stringContaining("waits-for-it"),
      ]);
      await saveScreenshot(page, "concurrency");
      await page.emulateMedia({ colorScheme: "dark" });
      await saveScreenshot(page, "concurrency-dark");
      expect(errors).toEqual([]);
      await page.close();
    },
  );
});
