/**
 * The pages in chromium (playwright-core, /usr/bin/chromium): cold loads of / and /runs, their time
 * to interactive, and the requests every page of the UI makes when opened.
 *
 * Time to interactive, as measured here: from navigation start to the later of (a) the moment the
 * page marks its data as rendered (its root gets `data-ready="true"` once every first request has
 * answered and React has committed the result) and (b) the end of the last long task (main thread
 * busy > 50 ms) started before the page has been quiet for 500 ms after (a).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { chromium, type Browser } from "playwright-core";

export interface PageLoadFigures {
  readonly path: string;
  readonly loads: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  readonly longTasks: number;
}

export interface BrowserFigures {
  readonly loads: PageLoadFigures[];
  /** Requests made by one view of each page (documents, scripts, styles, API calls, the event stream). */
  readonly requests: { path: string; total: number; api: number }[];
}

export const CHROMIUM = "/usr/bin/chromium";

/** Installed before any page script: records when [data-ready=true] appears and every long task. */
const INSTRUMENT = `
  window.__bench = { readyAt: null, longTasks: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.longTasks.push([e.startTime, e.startTime + e.duration]);
  }).observe({ type: "longtask", buffered: true });
  new MutationObserver(() => {
    if (window.__bench.readyAt === null && document.querySelector('[data-ready="true"]')) {
      window.__bench.readyAt = performance.now();
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-ready"] });
`;

interface Sample {
  readyAt: number;
  longTasks: [number, number][];
}

async function loadOnce(browser: Browser, url: string): Promise<{ ttiMs: number; longTasks: number }> {
  const context = await browser.newContext(); // a cold cache every time
  try {
    const page = await context.newPage();
    await page.addInitScript(INSTRUMENT);
    await page.goto(url);
    await page.waitForSelector('[data-ready="true"]', { timeout: 30_000 });
    await page.waitForTimeout(500);
    const sample = await page.evaluate(() => (globalThis as unknown as { __bench: Sample }).__bench);
    const lastLongTaskEnd = Math.max(0, ...sample.longTasks.map(([, end]) => end));
    return { ttiMs: Math.max(sample.readyAt, lastLongTaskEnd), longTasks: sample.longTasks.length };
  } finally {
    await context.close();
  }
}

export async function countRequests(browser: Browser, url: string): Promise<{ total: number; api: number }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(url);
    // Ready pages mark themselves; the others get the same settling time.
    await page.waitForSelector('[data-ready="true"]', { timeout: 5000 }).catch(() => undefined);
    await page.waitForTimeout(1500);
    return {
      total: requests.length,
      api: requests.filter((r) => new URL(r).pathname.startsWith("/api/")).length,
    };
  } finally {
    await context.close();
  }
}

function stats(path: string, samples: { ttiMs: number; longTasks: number }[]): PageLoadFigures {
  const sorted = samples.map((s) => s.ttiMs).sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0);
  return {
    path,
    loads: samples.length,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    maxMs: Math.round(sorted[sorted.length - 1] ?? 0),
    longTasks: samples.reduce((n, s) => n + s.longTasks, 0),
  };
}

/** The UI's pages: the navigation of packages/ui/src/components/Layout.tsx and a flow run's page. */
async function uiPaths(root: string, databaseUrl: string): Promise<string[]> {
  const layout = readFileSync(join(root, "packages/ui/src/components/Layout.tsx"), "utf8");
  const nav = [...layout.matchAll(/\bto: "(\/[^"]*)"/g)].map((m) => m[1]!);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string }>(
      "select id from flow_runs where state_type = 'COMPLETED' order by expected_start_time desc limit 1",
    );
    return [...new Set([...nav, `/runs/${rows[0]?.id ?? ""}`])];
  } finally {
    await db.end();
  }
}

/** Loads / and /runs cold `loads` times each, then counts the requests of every page once. */
export async function measureBrowser(
  root: string,
  baseUrl: string,
  databaseUrl: string,
  loads: number,
): Promise<BrowserFigures> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  try {
    const figures: PageLoadFigures[] = [];
    for (const path of ["/", "/runs"]) {
      await loadOnce(browser, baseUrl + path); // warms the server, not the browser
      const samples = [];
      for (let i = 0; i < loads; i += 1) samples.push(await loadOnce(browser, baseUrl + path));
      figures.push(stats(path, samples));
      console.error(
        `[bench] ui-scale browser: ${path}: TTI p50 ${figures.at(-1)!.p50Ms} ms, p95 ${figures.at(-1)!.p95Ms} ms`,
      );
    }
    const requests = [];
    for (const path of await uiPaths(root, databaseUrl)) {
      requests.push({ path, ...(await countRequests(browser, baseUrl + path)) });
    }
    return { loads: figures, requests };
  } finally {
    await browser.close();
  }
}
