import { existsSync } from "node:fs";
import { startTestServer, type TestServer } from "@sluice/server";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The web UI in a real browser: Debian's chromium driven by playwright-core against a real server
 * serving the built UI. `.ci/run` installs chromium and sets SLUICE_REQUIRE_BROWSER, so in CI a missing
 * browser fails the test; elsewhere it is skipped with a message saying how to install it.
 */
const CHROMIUM = "/usr/bin/chromium";
const required = process.env.SLUICE_REQUIRE_BROWSER === "1" || process.env.CI === "true";
const available = existsSync(CHROMIUM);
if (!available && !required) {
  console.warn(`skipping the browser test: ${CHROMIUM} is missing (apt-get install -y chromium)`);
}

async function post<T>(server: TestServer, path: string, body: unknown): Promise<T> {
  const res = await fetch(server.url + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

describe.skipIf(!available && !required)("the web UI in chromium", () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
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
});
