/**
 * A flow run's page in a real browser: a real flow process (tests/e2e/fixtures/ui-run) runs a pipeline
 * whose third transform fails, recording into a real server; chromium opens the run's page, the task
 * graph and the timeline are drawn (pixels on the canvases, and their text summaries), a click on the
 * failed task's box in the graph opens its task run page, which shows the error with its stack in the
 * task run's logs.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startTestServer, type TestServer } from "@sluice/server";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsRun, launchChromium } from "./support/chromium.js";
import { saveScreenshot } from "./support/screenshots.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FLOW = join(ROOT, "tests/e2e/fixtures/ui-run/failing-pipeline.ts");
const browserTests = browserTestsRun("the run page browser test");

/** Runs the failing pipeline as its own process against `apiUrl`; answers the flow run's id. */
function runFailingPipeline(apiUrl: string): Promise<string> {
  const child = spawn(process.execPath, ["--conditions=@sluice/source", "--import", "tsx", FLOW], {
    cwd: ROOT,
    env: { ...process.env, SLUICE_API_URL: apiUrl, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  return new Promise((resolve, reject) => {
    child.on("close", (code) => {
      const id = /\{"flowRunId":"([0-9a-f-]{36})"\}/.exec(output)?.[1];
      if (code !== 1 || !id) reject(new Error(`the pipeline exited with ${code}:\n${output}`));
      else resolve(id);
    });
  });
}

/**
 * Runs in the page (as source text: this file is type-checked without the DOM's types). For a canvas:
 * how many pixels are drawn, and the centre, in CSS pixels, of those in the colour of a CSS variable.
 */
const INSPECT_CANVAS = `({ testId, cssVar }) => {
  const canvas = document.querySelector("[data-testid=" + testId + "]");
  const { data, width, height } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
  const probe = document.createElement("div");
  probe.style.color = "var(" + cssVar + ")";
  document.body.append(probe);
  const [r, g, b] = getComputedStyle(probe).color.match(/\\d+/g).map(Number);
  probe.remove();
  let drawn = 0, sx = 0, sy = 0, matches = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 0) drawn += 1;
    if (data[i] === r && data[i + 1] === g && data[i + 2] === b && data[i + 3] === 255) {
      matches += 1;
      sx += (i / 4) % width;
      sy += Math.floor(i / 4 / width);
    }
  }
  const ratio = canvas.clientWidth / width;
  return { drawn, total: width * height, matches, at: matches > 0 ? { x: (sx / matches) * ratio, y: (sy / matches) * ratio } : null };
}`;

interface CanvasPixels {
  drawn: number;
  total: number;
  matches: number;
  at: { x: number; y: number } | null;
}

function inspectCanvas(page: Page, testId: string, cssVar: string): Promise<CanvasPixels> {
  return page.evaluate<CanvasPixels>(`(${INSPECT_CANVAS})(${JSON.stringify({ testId, cssVar })})`);
}

describe.skipIf(!browserTests)("a flow run's page in chromium", () => {
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

  it("draws the graph and timeline of a real failed run; the failed task opens with its error in its logs", async () => {
    const flowRunId = await runFailingPipeline(server.url);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    await page.goto(`${server.url}/runs/${flowRunId}`);
    await expect.poll(() => page.locator("h1 [data-testid=run-state]").textContent()).toBe("Failed");
    await expect
      .poll(() => page.getByTestId("graph-summary").textContent())
      .toBe("5 task runs in 3 layers: 4 Completed, 1 Failed");
    await page.locator('[data-testid=task-graph][data-drawn-nodes="5"]').waitFor();
    await page.locator('[data-testid=timeline][data-drawn-rows="5"]').waitFor();

    const timeline = await inspectCanvas(page, "timeline", "--bad");
    expect(timeline.drawn).toBeGreaterThan(0);
    expect(timeline.matches).toBeGreaterThan(0);
    // The failed task's box: the only one drawn in the failure colour.
    const graph = await inspectCanvas(page, "task-graph", "--bad");
    expect(graph.drawn).toBeGreaterThan(0);
    expect(graph.at).not.toBeNull();
    await saveScreenshot(page, "flow-run", { fullPage: true });
    // In dark mode the canvases repaint in the dark palette (the failure colour differs there).
    await page.emulateMedia({ colorScheme: "dark" });
    await expect
      .poll(async () => (await inspectCanvas(page, "task-graph", "--bad")).matches)
      .toBeGreaterThan(0);
    await expect
      .poll(async () => (await inspectCanvas(page, "timeline", "--bad")).matches)
      .toBeGreaterThan(0);
    await saveScreenshot(page, "flow-run-dark", { fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });
    await page.getByTestId("task-graph").click({ position: graph.at! });

    await page.waitForURL(/\/task-runs\//);
    await expect.poll(() => page.locator("h1").textContent()).toContain("transform-2");
    expect(await page.locator("h1 [data-testid=run-state]").textContent()).toBe("Failed");
    expect(await page.getByTestId("error-stack").textContent()).toContain("Error: row 3 has no id");
    await expect
      .poll(() => page.getByTestId("log-line").allTextContents())
      .toEqual([
        expect.stringContaining("transforming part 2"),
        expect.stringMatching(/Finished in state Failed: Error: row 3 has no id\n\s+at /),
      ]);
    await saveScreenshot(page, "task-run", { fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
