/**
 * `npm run bench -- --only=ui-scale [--scale=small] [--write]`: the dashboard and the runs page at
 * scale. Creates a PostgreSQL database, migrates it through a real server, seeds it (1,000,000 flow
 * runs and 10,000,000 task runs; --scale=small: 10,000 and 100,000), then measures the API calls
 * the two pages make (bench/ui-scale/api-latency.ts) and the pages themselves in chromium
 * (bench/ui-scale/browser.ts). BENCH_UI_SCALE_DB=name measures an already seeded database instead
 * (kept afterwards); otherwise the database is dropped at the end.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureApiCalls, type ApiCallFigures } from "./api-latency.js";
import { measureBrowser, type BrowserFigures } from "./browser.js";
import { seedDatabase, type SeedSize } from "./seed.js";
import { measureWriteCost, type WriteCostFigures } from "./write-cost.js";
import { postJson, startBenchServer } from "./server.js";

export interface UiScaleFigures {
  readonly command: string;
  readonly date: string;
  readonly machine: string;
  readonly flowRuns: number;
  readonly taskRuns: number;
  readonly seedSeconds: number | null;
  readonly api: ApiCallFigures[];
  readonly browser: BrowserFigures;
  readonly writeCost: WriteCostFigures;
}

const SIZES: Record<string, SeedSize> = {
  full: { flowRuns: 1_000_000, taskRunsPerFlowRun: 10 },
  small: { flowRuns: 10_000, taskRunsPerFlowRun: 10 },
};

function psql(base: string, statement: string): void {
  execFileSync("psql", [`${base}/postgres`, "-qc", statement], { stdio: "inherit" });
}

/** Pools and workers through the API, as a worker would create them (one pool without any worker). */
async function createPools(url: string): Promise<void> {
  for (const [name, type] of [
    ["default", "process"],
    ["docker-pool", "docker"],
    ["k8s-pool", "kubernetes"],
  ]) {
    await postJson(url, "/api/work-pools", { name, type });
  }
  for (const worker of ["worker-a", "worker-b"]) {
    await postJson(url, "/api/work-pools/default/workers/heartbeat", {
      name: worker,
      heartbeatIntervalSeconds: 3600,
    });
  }
  await postJson(url, "/api/work-pools/docker-pool/workers/heartbeat", {
    name: "docker-1",
    heartbeatIntervalSeconds: 1,
  });
}

async function countRows(base: string, dbName: string): Promise<{ flowRuns: number; taskRuns: number }> {
  const out = execFileSync("psql", [
    `${base}/${dbName}`,
    "-tAc",
    "select (select count(*) from flow_runs) || ' ' || (select count(*) from task_runs)",
  ]);
  const [flowRuns, taskRuns] = out.toString().trim().split(" ").map(Number);
  return { flowRuns: flowRuns ?? 0, taskRuns: taskRuns ?? 0 };
}

/** Runs the scenario and answers its figures. */
export async function measureUiScale(
  root: string,
  options: { scale: string; command: string; pgBase: string; seedOnly?: boolean },
): Promise<UiScaleFigures | undefined> {
  const size = SIZES[options.scale];
  if (!size) throw new Error(`unknown --scale=${options.scale}: use full or small`);
  const reused = process.env.BENCH_UI_SCALE_DB;
  const dbName = reused ?? `sluice_bench_ui_${process.pid}`;
  const databaseUrl = `${options.pgBase}/${dbName}`;
  const home = mkdtempSync(join(tmpdir(), "sluice-bench-ui-"));
  let seedSeconds: number | null = null;
  try {
    if (!reused) {
      psql(options.pgBase, `create database ${dbName}`);
      const setup = await startBenchServer(root, databaseUrl, home);
      await createPools(setup.url).finally(() => setup.stop());
      console.error(`[bench] ui-scale: seeding ${dbName} (${size.flowRuns.toLocaleString("en")} flow runs)`);
      seedSeconds = (await seedDatabase(databaseUrl, size, new Date().toISOString())).seconds;
      if (options.seedOnly) {
        console.error(
          `[bench] ui-scale: seeded in ${seedSeconds} s; measure with BENCH_UI_SCALE_DB=${dbName}`,
        );
        process.env.BENCH_UI_SCALE_KEEP = "1";
        return undefined;
      }
    }
    const counts = await countRows(options.pgBase, dbName);
    const server = await startBenchServer(root, databaseUrl, home);
    try {
      await postJson(server.url, "/api/work-pools/default/workers/heartbeat", {
        name: "worker-a",
        heartbeatIntervalSeconds: 3600,
      });
      const api = await measureApiCalls(server.url, databaseUrl, 50);
      const browser = await measureBrowser(root, server.url, databaseUrl, 10);
      const writeCost = await measureWriteCost(databaseUrl);
      return {
        command: options.command,
        date: new Date().toISOString(),
        machine: `${execFileSync("nproc").toString().trim()} cores, Node ${process.version}, PostgreSQL ${execFileSync(
          "psql",
          [`${options.pgBase}/postgres`, "-tAc", "show server_version"],
        )
          .toString()
          .trim()}`,
        ...counts,
        seedSeconds,
        api,
        browser,
        writeCost,
      };
    } finally {
      await server.stop();
    }
  } finally {
    if (!reused && !process.env.BENCH_UI_SCALE_KEEP)
      psql(options.pgBase, `drop database if exists ${dbName} with (force)`);
    if (!reused && process.env.BENCH_UI_SCALE_KEEP)
      console.error(`[bench] ui-scale: kept database ${dbName}`);
    rmSync(home, { recursive: true, force: true });
  }
}
