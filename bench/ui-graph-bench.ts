/**
 * A flow run with 10,000 task runs in the browser: Debian's chromium (playwright-core) opens its run
 * page against a real server and records, from inside the page, every animation frame
 * (requestAnimationFrame timestamps) and every long task (PerformanceObserver 'longtask'), in three
 * phases: navigation until the graph is drawn; dragging and zooming the graph; a live update (the
 * 200 running task runs complete: the server announces task-runs-changed and the page refetches the
 * graph and lays it out again). Requests made by the page are counted from the browser's side.
 */
import { chromium, type Page } from "playwright-core";
import { completeRunning, createPipelineRun } from "./ui-graph-fixture.js";

export interface UiGraphPhase {
  /** From the phase's start to its first animation frame, ms (for navigation: the page's load). */
  firstFrameMs: number;
  /** Longest gap between two animation frames after the first, ms. */
  maxFrameMs: number;
  longTasks: number;
  longestTaskMs: number;
  durationMs: number;
}

export interface UiGraphFigures {
  machine: string;
  database: string;
  taskRuns: number;
  edges: number;
  graphResponseBytes: number;
  /** From navigation start until the graph's canvas has drawn every node. */
  timeToGraphMs: number;
  load: UiGraphPhase;
  panZoom: UiGraphPhase;
  liveUpdate: UiGraphPhase;
  /** API requests from navigation until the graph was drawn (the event stream counted apart). */
  requestsToGraph: string[];
  /** API requests the live update caused. */
  requestsOnUpdate: string[];
}

/** Installed before the page's scripts: frame and long-task recorders, and when the graph was drawn. */
const RECORDER = `(() => {
  const w = window;
  w.__frames = [];
  w.__longTasks = [];
  w.__graphDrawnAt = null;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__longTasks.push([e.startTime, e.duration]);
  }).observe({ type: "longtask", buffered: true });
  const tick = (t) => {
    w.__frames.push(t);
    if (w.__graphDrawnAt === null && w.__expectNodes) {
      const c = document.querySelector("[data-testid=task-graph]");
      if (c && c.dataset.drawnNodes === String(w.__expectNodes)) w.__graphDrawnAt = performance.now();
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

/**
 * Polls `expression` in the page until it is true. Not page.waitForFunction: that evaluates strings
 * inside the page, which the page's Content-Security-Policy (no 'unsafe-eval') refuses.
 */
async function waitInPage(page: Page, expression: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting in the page for ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const now = (page: Page) => page.evaluate<number>("performance.now()");

async function phase(page: Page, from: number, to: number): Promise<UiGraphPhase> {
  const { frames, longTasks } = await page.evaluate<{ frames: number[]; longTasks: [number, number][] }>(
    "({ frames: window.__frames, longTasks: window.__longTasks })",
  );
  const inRange = frames.filter((t) => t >= from && t <= to);
  const firstFrameMs = (inRange[0] ?? to) - from;
  let maxFrameMs = 0;
  for (let i = 1; i < inRange.length; i += 1)
    maxFrameMs = Math.max(maxFrameMs, inRange[i]! - inRange[i - 1]!);
  maxFrameMs = Math.max(maxFrameMs, to - (inRange.at(-1) ?? from));
  const inPhase = longTasks.filter(([start]) => start >= from && start <= to);
  return {
    firstFrameMs,
    maxFrameMs,
    longTasks: inPhase.length,
    longestTaskMs: Math.max(0, ...inPhase.map(([, d]) => d)),
    durationMs: to - from,
  };
}

/** Measures the run page of a flow run with `count` task runs on the server at `baseUrl`. */
export async function measureUiGraph(
  baseUrl: string,
  count: number,
): Promise<Omit<UiGraphFigures, "machine" | "database">> {
  const running = 200;
  const run = await createPipelineRun(baseUrl, count, { running, flowName: "bench-ui-graph" });
  const edges = run.tasks.reduce((n, t) => n + t.upstream.length, 0);
  const graphResponseBytes = (await (await fetch(`${baseUrl}/api/flow-runs/${run.id}/graph`)).arrayBuffer())
    .byteLength;
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const requests: { at: number; what: string }[] = [];
    const started = Date.now();
    page.on("request", (r) => {
      const url = new URL(r.url());
      // Ids made generic, so the list reads as routes.
      if (url.pathname.startsWith("/api/"))
        requests.push({
          at: Date.now() - started,
          what: `${r.method()} ${url.pathname.replace(/[0-9a-f-]{36}/g, "{id}")}`,
        });
    });
    await page.addInitScript(`${RECORDER}; window.__expectNodes = ${count};`);
    await page.goto(`${baseUrl}/runs/${run.id}`);
    await waitInPage(page, "window.__graphDrawnAt !== null", 120_000);
    const drawnAt = await page.evaluate<number>("window.__graphDrawnAt");
    const drawnWall = Date.now() - started;
    await page.waitForTimeout(500);
    const load = await phase(page, 0, drawnAt);
    const requestsToGraph = requests.filter((r) => r.at <= drawnWall).map((r) => r.what);

    // Pan and zoom: drags across the graph and wheel zooms in and out, about three seconds.
    const box = (await page.getByTestId("task-graph").boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const panStart = await now(page);
    for (let round = 0; round < 3; round += 1) {
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      for (let step = 1; step <= 20; step += 1) await page.mouse.move(cx - step * 15, cy - step * 6);
      await page.mouse.up();
      for (let z = 0; z < 8; z += 1) await page.mouse.wheel(0, -120);
      for (let z = 0; z < 8; z += 1) await page.mouse.wheel(0, 120);
    }
    await page.waitForTimeout(300);
    const panZoom = await phase(page, panStart, await now(page));

    // A live update: the running task runs complete; wait until the graph shows none running.
    const before = requests.length;
    const updateStart = await now(page);
    await completeRunning(baseUrl, run.tasks);
    await waitInPage(
      page,
      `!document.querySelector("[data-testid=graph-summary]").textContent.includes("Running")`,
      60_000,
    );
    await page.waitForTimeout(1500);
    const liveUpdate = await phase(page, updateStart, await now(page));
    const requestsOnUpdate = requests.slice(before).map((r) => r.what);
    return {
      taskRuns: count,
      edges,
      graphResponseBytes,
      timeToGraphMs: drawnAt,
      load,
      panZoom,
      liveUpdate,
      requestsToGraph,
      requestsOnUpdate,
    };
  } finally {
    await browser.close();
  }
}

/** The markdown block for docs/benchmarks.md. */
export function renderUiGraphReport(f: UiGraphFigures & { command: string; date: string }): string {
  const row = (label: string, p: UiGraphPhase) =>
    `| ${label} | ${p.durationMs.toFixed(0)} ms | ${p.firstFrameMs.toFixed(0)} ms | ${p.maxFrameMs.toFixed(0)} ms | ${p.longTasks} | ${p.longestTaskMs.toFixed(0)} ms |`;
  const count = (list: string[]) => {
    const byKind = new Map<string, number>();
    for (const r of list) byKind.set(r, (byKind.get(r) ?? 0) + 1);
    return [...byKind].map(([what, n]) => (n > 1 ? `${what} ×${n}` : what)).join(", ");
  };
  return [
    "",
    `Command: \`${f.command}\` · ${f.date} · ${f.machine} · ${f.database} · chromium (headless)`,
    "",
    `A flow run with ${f.taskRuns.toLocaleString("en")} task runs and ${f.edges.toLocaleString("en")} input links; graph response ${(f.graphResponseBytes / 1e6).toFixed(1)} MB. Graph drawn ${f.timeToGraphMs.toFixed(0)} ms after navigation start.`,
    "",
    "| Phase | duration | first frame after | longest frame after the first | long tasks | longest task |",
    "| --- | --- | --- | --- | --- | --- |",
    row("navigation until the graph is drawn", f.load),
    row("pan and zoom (3 drags, 48 wheel steps)", f.panZoom),
    row(`live update (200 task runs complete)`, f.liveUpdate),
    "",
    `Requests until the graph was drawn (${f.requestsToGraph.length}): ${count(f.requestsToGraph)}.`,
    `Requests caused by the live update (${f.requestsOnUpdate.length}): ${count(f.requestsOnUpdate)}.`,
    "",
  ].join("\n");
}
