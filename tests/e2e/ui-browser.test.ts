import { randomUUID } from "node:crypto";
import { startTestServer, type TestServer } from "@sluice/server";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsRun, launchChromium } from "./support/chromium.js";
import { saveScreenshot } from "./support/screenshots.js";

/**
 * The web UI in a real browser: Debian's chromium driven by playwright-core against a real server
 * serving the built UI. `.ci/run` installs chromium and sets SLUICE_REQUIRE_BROWSER, so in CI a missing
 * browser fails the test; elsewhere it is skipped with a message saying how to install it.
 */
const browserTests = browserTestsRun("the browser test");

async function post<T>(server: TestServer, path: string, body: unknown): Promise<T> {
  const res = await fetch(server.url + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

describe.skipIf(!browserTests)("the web UI in chromium", () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows a completed run's page with its state and logs, and the run in the runs list", async () => {
    // A flow of this test's own: a shared test database keeps the runs of earlier test runs.
    const flowName = `browser-e2e-${Date.now()}`;
    const run = await post<{ id: string }>(server, "/api/flow-runs", {
      flowName,
      name: "seen-in-chromium",
    });
    await post(server, `/api/flow-runs/${run.id}/set-state`, { state: { type: "RUNNING" } });
    await post(server, "/api/logs", {
      logs: [
        {
          flowRunId: run.id,
          name: "e2e",
          level: 20,
          message: "hello from the run",
          timestamp: new Date().toISOString(),
        },
      ],
    });
    await post(server, `/api/flow-runs/${run.id}/set-state`, { state: { type: "COMPLETED" } });

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    // Console errors include Content-Security-Policy violations.
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    await page.goto(`${server.url}/runs/${run.id}`);
    await expect.poll(() => page.locator("h1 [data-testid=run-state]").textContent()).toBe("Completed");
    await expect
      .poll(() => page.locator("[data-testid=log-line]").first().textContent())
      .toContain("hello from the run");

    await page.getByRole("link", { name: "Flow runs" }).click();
    await page.getByTestId("flow-filter").fill(flowName);
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => page.getByTestId("run-row").count()).toBe(1);
    await expect.poll(() => page.getByTestId("run-row").textContent()).toContain("seen-in-chromium");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the dashboard's activity, counts and pool health, and the runs list filtered from it", async () => {
    // A day of runs of this test's own flow, in every common state, one or two an hour.
    const flowName = `browser-dash-${Date.now()}`;
    const hour = 3_600_000;
    const outcomes = ["COMPLETED", "COMPLETED", "COMPLETED", "FAILED", "COMPLETED", "CRASHED", "CANCELLED"];
    for (let i = 0; i < 30; i += 1) {
      const scheduledTime = new Date(Date.now() - (i % 23) * hour - 60_000).toISOString();
      const run = await post<{ id: string }>(server, "/api/flow-runs", {
        flowName,
        name: `dash-run-${i}`,
        tags: i % 2 === 0 ? ["prod"] : ["dev"],
        state: { type: "SCHEDULED", details: { scheduledTime } },
      });
      await post(server, `/api/flow-runs/${run.id}/set-state`, { state: { type: "RUNNING" } });
      const type = i === 0 ? "RUNNING" : (outcomes[i % outcomes.length] ?? "COMPLETED");
      if (type !== "RUNNING") await post(server, `/api/flow-runs/${run.id}/set-state`, { state: { type } });
      const taskRuns = [0, 1, 2].map((k) => ({
        id: randomUUID(),
        flowRunId: run.id,
        taskKey: `task-${k}`,
        name: `task-${k}`,
        dynamicKey: "0",
      }));
      await post(server, "/api/task-runs/batch", {
        taskRuns,
        states: taskRuns.map((t, k) => ({
          taskRunId: t.id,
          state: {
            id: randomUUID(),
            type: k === 2 && type === "FAILED" ? "FAILED" : "COMPLETED",
            name: k === 2 && type === "FAILED" ? "Failed" : "Completed",
            timestamp: new Date().toISOString(),
            message: null,
            details: {},
            result: null,
          },
        })),
      });
    }
    const pool = `aaa-browser-${Date.now()}`;
    await post(server, "/api/work-pools", { name: pool, type: "process" });
    await post(server, `/api/work-pools/${pool}/workers/heartbeat`, { name: "worker-1" });

    for (const colorScheme of ["light", "dark"] as const) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, colorScheme });
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
      await page.goto(`${server.url}/`);
      await page.waitForSelector('[data-ready="true"]');
      expect(await page.getByTestId("activity-bar").count()).toBe(24);
      expect(await page.locator("[data-testid=activity-bar] [data-state=FAILED]").count()).toBeGreaterThan(0);
      const failed = Number(
        (await page.locator("[data-testid=count-FAILED] .count").textContent())?.replace(/\D/g, ""),
      );
      expect(failed).toBeGreaterThanOrEqual(4);
      const poolRow = page.getByTestId("work-pool-row").filter({ hasText: pool });
      await expect.poll(() => poolRow.getByTestId("workers-online").textContent()).toContain("1 of 1");
      expect(errors).toEqual([]);
      await saveScreenshot(page, colorScheme === "light" ? "dashboard" : "dashboard-dark", {
        fullPage: true,
      });
      if (colorScheme === "light") {
        // The FAILED count opens the runs list filtered to failed runs of the window.
        await page.locator("a[data-testid=count-FAILED]").click();
        await page.waitForSelector('[data-ready="true"]');
        await expect.poll(() => page.getByTestId("state-filter").inputValue()).toBe("FAILED");
        await page.getByTestId("flow-filter").fill(flowName);
        await page.getByRole("button", { name: "Apply" }).click();
        await expect.poll(() => page.getByTestId("run-row").count()).toBe(4);
        await page.getByTestId("state-filter").selectOption("");
        await page.getByTestId("tags-filter").fill("prod");
        await page.getByRole("button", { name: "Apply" }).click();
        await expect.poll(() => page.getByTestId("run-row").count()).toBe(15);
        expect(new URL(page.url()).searchParams.get("tags")).toBe("prod");
        await saveScreenshot(page, "runs", { fullPage: true });
      }
      await page.close();
    }
  });
});
