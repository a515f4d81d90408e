/**
 * The run page's actions in a real browser (Debian's chromium via playwright-core), against a real
 * server and a real `sluice worker start` process that launches each run as a `sluice flow-run
 * execute` process: cancelling a running flow stops its process; a run whose last task failed is
 * retried from that task, and the earlier tasks are not executed again (each execution leaves a line
 * in a file). Skipped like ui-browser.test.ts when chromium is missing outside CI.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type SluiceClient } from "@sluice/client";
import { startTestServer, type TestServer } from "@sluice/server";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsRun, launchChromium } from "./support/chromium.js";
import { CLI, ROOT, runCli } from "./support/cli-process.js";

const browserTests = browserTestsRun("the run-actions browser test");
const POOL = `e2e-actions-${process.pid}`;

/** Polls `probe` until it answers a value; fails naming `what` and the worker's output. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n--- worker:\n${workerOutput.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let workerOutput = "";

describe.skipIf(!browserTests)("run actions in chromium, with a real worker", () => {
  let server: TestServer;
  let browser: Browser;
  let client: SluiceClient;
  let worker: ChildProcess | undefined;
  let home: string;
  let project: string;

  beforeAll(async () => {
    server = await startTestServer();
    client = createClient({ baseUrl: server.url, retries: 0 });
    home = mkdtempSync(join(tmpdir(), "sluice-e2e-actions-"));
    // Inside the repository, so `@sluice/sdk` resolves for the flow file as in an installed project.
    mkdirSync(join(ROOT, ".sluice"), { recursive: true });
    project = mkdtempSync(join(ROOT, ".sluice", "e2e-actions-"));
    cpSync(join(ROOT, "tests/e2e/fixtures/run-actions"), project, { recursive: true });
    const env = {
      SLUICE_HOME: home,
      SLUICE_API_URL: server.url,
      SLUICE_HEARTBEAT_SECONDS: "1",
      SLUICE_LOG_LEVEL: "warn",
      E2E_POOL: POOL,
      NO_COLOR: "1",
    };
    await client.call("createWorkPool", { body: { name: POOL, type: "process" } });
    const deployed = await runCli(["deploy", "--all"], env, project);
    expect(deployed.code, deployed.output).toBe(0);
    worker = spawn(process.execPath, [...CLI, "worker", "start", "--pool", POOL, "--name", `${POOL}-w`], {
      cwd: project,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    worker.stdout?.on("data", (c: Buffer) => (workerOutput += c.toString()));
    worker.stderr?.on("data", (c: Buffer) => (workerOutput += c.toString()));
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (worker && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker?.once("exit", resolve));
      worker.kill("SIGTERM");
      await exited;
    }
    await server?.close();
    rmSync(home, { recursive: true, force: true });
    if (project) rmSync(project, { recursive: true, force: true });
  }, 60_000);

  /** A run of the named deployment, with its own scratch directory. */
  async function startRun(name: "pipeline" | "waiting", setup?: (dir: string) => void) {
    const dir = mkdtempSync(join(home, `${name}-`));
    setup?.(dir);
    const flowName = name === "pipeline" ? "e2e-actions-pipeline" : "e2e-actions-waiting";
    const deployment = await client.call("readDeploymentByName", { params: { flowName, name } });
    const run = await client.call("createDeploymentFlowRun", {
      params: { id: deployment.id },
      body: { parameters: { dir } },
    });
    return { id: run.id, dir };
  }

  async function openRunPage(id: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    await page.goto(`${server.url}/runs/${id}`);
    return { page, errors };
  }

  const shownState = (page: Page) => page.locator("h1 [data-testid=run-state]").textContent();
  const runsOf = (dir: string, step: string) =>
    existsSync(join(dir, `ran-${step}`))
      ? readFileSync(join(dir, `ran-${step}`), "utf8").split("\n").length - 1
      : 0;

  it("cancels a running flow from its page: the run ends Cancelled and its process is gone", async () => {
    const { id, dir } = await startRun("waiting");
    const pid = await waitFor("the flow-run process", () =>
      existsSync(join(dir, "pid")) ? Number(readFileSync(join(dir, "pid"), "utf8")) : undefined,
    );
    const { page, errors } = await openRunPage(id);
    await expect.poll(() => shownState(page), { timeout: 20_000 }).toBe("Running");
    await page.getByTestId("action-cancel").click();
    await expect.poll(() => shownState(page), { timeout: 30_000 }).toBe("Cancelled");
    await waitFor("the flow-run process to exit", () => (isAlive(pid) ? undefined : true));
    expect((await client.readFlowRun(id)).stateType).toBe("CANCELLED");
    expect(await page.getByTestId("action-cancel").isDisabled()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it("retries a run whose last task failed from that task: it completes without running a and b again", async () => {
    const { id, dir } = await startRun("pipeline", (d) => writeFileSync(join(d, "c-fails"), ""));
    const { page, errors } = await openRunPage(id);
    await expect
      .poll(() => shownState(page), {
        timeout: 60_000,
        message: "the page shows Failed (the worker's output and the server's state follow on failure)",
      })
      .toBe("Failed")
      .catch(async (error: unknown) => {
        const run = await client.readFlowRun(id);
        throw new Error(`${String(error)}; server: ${run.stateName}\n${workerOutput.slice(-3000)}`);
      });
    expect([runsOf(dir, "a"), runsOf(dir, "b"), runsOf(dir, "c")]).toEqual([1, 1, 1]);

    rmSync(join(dir, "c-fails")); // the cause is fixed
    const retry = page.getByTestId("action-retry-from-failed");
    await expect.poll(() => retry.isEnabled(), { timeout: 10_000 }).toBe(true);
    await retry.click();
    await expect.poll(() => shownState(page), { timeout: 60_000 }).toBe("Completed");
    expect([runsOf(dir, "a"), runsOf(dir, "b"), runsOf(dir, "c")]).toEqual([1, 1, 2]);
    const run = await client.readFlowRun(id);
    expect(run).toMatchObject({ stateType: "COMPLETED", runCount: 2 });
    const { items } = await client.filterTaskRuns({ flowRunIds: [id], limit: 10, sort: "NAME_ASC" });
    expect(items.map((t) => `${t.name} ${t.stateName}`)).toEqual([
      "a-0 Reused",
      "b-0 Reused",
      "c-0 Completed",
    ]);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
