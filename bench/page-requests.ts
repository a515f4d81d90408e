/**
 * Requests per page view for every page of the UI, detail pages included, against `sluice start`
 * (embedded: PGlite, the embedded worker and the example pipeline run once), so each page shows real
 * data: the build-lifecycle deployment and its run with task runs, artifacts, blocks, variables and
 * the `default` pool with its worker. Each page is opened cold in chromium and every request it
 * makes until it has settled is counted (bench/ui-scale/browser.ts, countRequests).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, countRequests } from "./ui-scale/browser.js";

export interface PageRequestFigures {
  readonly pages: { path: string; page: string; total: number; api: number }[];
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function post<T>(base: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(base + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Waits until the example pipeline's first run has completed; answers its id. */
async function completedRun(base: string, deadline: number): Promise<string> {
  for (;;) {
    const page = await post<{ items: { id: string }[] }>(base, "/api/flow-runs/filter", {
      stateTypes: ["COMPLETED"],
      limit: 1,
    }).catch(() => ({ items: [] }));
    if (page.items[0]) return page.items[0].id;
    if (Date.now() > deadline) throw new Error("sluice start did not complete the example run in time");
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export async function measurePageRequests(root: string): Promise<PageRequestFigures> {
  const home = mkdtempSync(join(tmpdir(), "sluice-bench-pages-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    ["--conditions=@sluice/source", "--import", "tsx", join(root, "packages/cli/src/main.ts"), "start"],
    {
      cwd: root,
      env: { ...process.env, SLUICE_HOME: home, SLUICE_SERVER_PORT: String(port) },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  try {
    const runId = await completedRun(base, Date.now() + 180_000);
    const taskRuns = await post<{ items: { id: string }[] }>(base, "/api/task-runs/filter", {
      flowRunIds: [runId],
      limit: 1,
    });
    const deployments = await post<{ items: { id: string }[] }>(base, "/api/deployments/filter", {
      limit: 1,
    });
    const keys = await post<{ items: { key: string }[] }>(base, "/api/artifacts/keys", { limit: 1 });
    const blocks = await post<{ items: { blockType: string; name: string }[] }>(base, "/api/blocks/filter", {
      limit: 1,
    });
    const block = blocks.items[0];
    const pages: [string, string | undefined][] = [
      ["Dashboard", "/"],
      ["Flow runs", "/runs"],
      ["Flow run (13 artifacts, 20 task runs)", `/runs/${runId}`],
      ["Task run", taskRuns.items[0] && `/task-runs/${taskRuns.items[0].id}`],
      ["Deployments", "/deployments"],
      ["Deployment", deployments.items[0] && `/deployments/${deployments.items[0].id}`],
      ["Work pools", "/work-pools"],
      ["Work pool", "/work-pools/default"],
      ["Blocks", "/blocks"],
      ["Block", block && `/blocks/${block.blockType}/${block.name}`],
      ["Variables", "/variables"],
      ["Artifacts", "/artifacts"],
      ["Artifact key", keys.items[0] && `/artifacts/key/${encodeURIComponent(keys.items[0].key)}`],
      ["Concurrency", "/concurrency"],
    ];
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    try {
      const figures = [];
      for (const [page, path] of pages) {
        if (!path) throw new Error(`no data for the ${page} page`);
        figures.push({ page, path, ...(await countRequests(browser, base + path)) });
      }
      return { pages: figures };
    } finally {
      await browser.close();
    }
  } finally {
    child.kill("SIGINT");
    await new Promise((resolve) => child.once("exit", resolve));
    rmSync(home, { recursive: true, force: true });
  }
}

export function renderPageRequestsReport(
  figures: PageRequestFigures & { command: string; date: string; machine: string },
): string {
  return [
    `Command: \`${figures.command}\` · ${figures.date} · ${figures.machine} · embedded (\`sluice start\`) · chromium (headless)`,
    "",
    "| page | path | requests | of them API (event stream included) |",
    "| --- | --- | --- | --- |",
    ...figures.pages.map(
      (p) => `| ${p.page} | \`${p.path.replace(/[0-9a-f-]{36}/g, "{id}")}\` | ${p.total} | ${p.api} |`,
    ),
  ].join("\n");
}
