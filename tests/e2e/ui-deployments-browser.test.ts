/**
 * Running a deployment from the web UI in a real browser: Debian's chromium (playwright-core)
 * against a real server serving the built UI, `sluice deploy` from a sluice.yaml whose flow has zod
 * parameters, and a real `sluice worker start` process that runs the flow. The run form refuses an
 * invalid value beside its field, then runs a valid one; the run's page follows it to Completed
 * live. Also the blocks pages with a masked secret. SLUICE_UPDATE_SCREENSHOTS=1 refreshes
 * docs/screenshots/deployments.png, deployment.png and blocks.png.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { createClient, type SluiceClient } from "@sluice/client";
import { startTestServer, TEST_ENCRYPTION_KEY, type TestServer } from "@sluice/server";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsRun, launchChromium } from "./support/chromium.js";
import { CLI, ROOT, runCli } from "./support/cli-process.js";
import { saveScreenshot } from "./support/screenshots.js";

const browserTests = browserTestsRun("the browser test");

const FIXTURE = join(ROOT, "tests/e2e/fixtures/ui-deploy");
const POOL = `ui-e2e-${randomUUID().slice(0, 8)}`;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.skipIf(!browserTests)("running a deployment from the web UI in chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let client: SluiceClient;
  let project: string;
  let home: string;
  let worker: ChildProcess | undefined;
  let workerOutput = "";
  let env: Record<string, string>;

  beforeAll(async () => {
    // Its own database: the scheduler pass below acts on every deployment it holds.
    server = await startTestServer({ ownDatabase: true });
    client = createClient({ baseUrl: server.url, retries: 0 });
    home = mkdtempSync(join(tmpdir(), "sluice-ui-e2e-"));
    // Inside the repository, so `@sluice/sdk` and zod resolve for the flow file as in a project.
    mkdirSync(join(ROOT, ".sluice"), { recursive: true });
    project = mkdtempSync(join(ROOT, ".sluice", "ui-e2e-"));
    cpSync(FIXTURE, project, { recursive: true });
    env = {
      SLUICE_HOME: home,
      SLUICE_API_URL: server.url,
      SLUICE_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      NO_COLOR: "1",
      E2E_POOL: POOL,
    };
    await client.call("createWorkPool", { body: { name: POOL, type: "process" } });
    const deployed = await runCli(["deploy", "--all"], env, project);
    expect(deployed.code, deployed.output).toBe(0);
    await server.runService("scheduler");
    worker = spawn(process.execPath, [...CLI, "worker", "start", "--pool", POOL, "--name", `${POOL}-w`], {
      cwd: project,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    worker.stdout?.on("data", (c: Buffer) => (workerOutput += c.toString()));
    worker.stderr?.on("data", (c: Buffer) => (workerOutput += c.toString()));
    await waitFor("the worker online", async () => {
      if (worker?.exitCode !== null) throw new Error(`the worker exited: ${workerOutput}`);
      const { items } = await client.call("listWorkers", { params: { pool: POOL } });
      return items.some((w) => w.status === "ONLINE") ? true : undefined;
    });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (worker && worker.exitCode === null) {
      await new Promise((resolve) => {
        worker!.once("exit", resolve);
        worker!.kill("SIGTERM");
      });
    }
    await server?.close();
    if (project) rmSync(project, { recursive: true, force: true });
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("runs the deployment from its form: an invalid value refused by its field, then a run watched to Completed", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    // Console errors include Content-Security-Policy violations.
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));

    await page.goto(`${server.url}/deployments`);
    const row = page.getByTestId("deployment-row").filter({ hasText: "ui-e2e-greet" });
    await expect.poll(() => row.textContent()).toContain("at 09:00 on weekdays (Europe/Oslo)");
    expect(await row.textContent()).toContain(POOL);

    await row.getByRole("link", { name: "greetings" }).click();
    await page.getByTestId("open-run-form").click();
    await expect.poll(() => page.locator('[name="city"]').inputValue()).toBe("Oslo");
    expect(await page.locator('[name="times"]').inputValue()).toBe("1");

    await page.locator('[name="times"]').fill("9");
    await page.locator('[name="city"]').fill("Bergen");
    await page.locator('[name="mood"]').selectOption({ label: "cheerful" });
    await page.getByTestId("run-submit").click();
    const timesError = page.locator("#run-times-error");
    await expect.poll(() => timesError.textContent()).toBe("must be at most 5");
    expect(page.url()).toContain("/run");
    await saveScreenshot(page, "deployment", { fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await saveScreenshot(page, "deployment-dark", { fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });

    await page.locator('[name="times"]').fill("2");
    await page.getByTestId("run-submit").click();
    await page.waitForURL(/\/runs\/[0-9a-f-]+$/);
    const runId = page.url().split("/").pop()!;
    // The worker runs it; the page follows its states live, without a reload.
    await expect
      .poll(() => page.locator("h1 [data-testid=run-state]").textContent(), { timeout: 60_000 })
      .toBe("Completed");
    const run = await client.readFlowRun(runId);
    expect(run.parameters).toMatchObject({ city: "Bergen", times: 2, mood: "cheerful", loud: false });
    // The flow itself saw the form's values: its log line says so.
    const { items: logs } = await client.filterLogs({ flowRunId: runId, limit: 100 });
    expect(logs.map((log) => log.message).join("\n")).toContain("Hello, Bergen! Hello, Bergen!");

    // Back on the list, the deployment's last runs include this one.
    await page.getByRole("link", { name: "Deployments" }).click();
    await expect.poll(() => row.locator(".recent-run").count()).toBeGreaterThan(0);
    await saveScreenshot(page, "deployments");
    expect(errors, workerOutput).toEqual([]);
    await page.close();
  }, 120_000);

  it("shows a block with its secret masked", async () => {
    const name = `results-${randomUUID().slice(0, 8)}`;
    await client.call("saveBlock", {
      params: { type: "s3-bucket", name },
      body: {
        data: {
          bucket: "flow-results",
          endpoint: "http://127.0.0.1:9000",
          forcePathStyle: true,
          credentials: { accessKeyId: "minio-admin", secretAccessKey: "do-not-show-me" },
        },
      },
    });
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${server.url}/blocks`);
    await page.getByRole("link", { name }).click();
    const data = page.getByTestId("block-data");
    await expect.poll(() => data.textContent()).toContain("minio-admin");
    expect(await data.textContent()).toContain("********");
    expect(await page.content()).not.toContain("do-not-show-me");
    await saveScreenshot(page, "blocks");
    await page.close();
  });
});
