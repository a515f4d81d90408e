/**
 * `npm run bench`: Sluice's figures and the peers', side by side, in one run on this machine.
 *
 * For each database (the machine's PostgreSQL in a throwaway database, and PGlite in a temporary
 * directory) it starts a server in its own process, then measures per-task overhead and empty flow
 * calls from a fresh SDK process, and API throughput with autocannon. Then it runs the peer engines'
 * reference script (../shared/peers/run.sh) on the same PostgreSQL.
 *
 * Then the result-storage scenario (bench/result-storage-bench.ts): results written to and read from a
 * local S3-protocol server through Sluice and directly through the AWS SDK.
 *
 * Then the example pipeline (bench/lifecycle-bench.ts): whole build-lifecycle runs in embedded mode,
 * their wall time and the share of it spent outside the stage bodies.
 *
 * Then the management pages' reads at scale on PostgreSQL (bench/manage-pages.ts): the concurrency
 * overview and the newest artifact of each key.
 *
 * Then the run page of a flow run with 10,000 task runs in chromium (bench/ui-graph-bench.ts).
 *
 * Then (only with --only=topology) the production topology (bench/topology-bench.ts): two server
 * replicas sharing events through Redis and two process workers, instant runs through both replicas.
 *
 * With --only=ui-scale: the dashboard and the runs page on 1,000,000 flow runs and 10,000,000 task runs
 * (bench/ui-scale/ui-scale-bench.ts; --scale=small for 10,000 and 100,000, --seed-only to seed and keep).
 *
 * Options: --quick (smaller counts), --skip-peers,
 * --only=postgres|pglite|storage|lifecycle|manage|ui-graph|topology|ui-scale|page-requests, --write (update the
 * generated blocks of docs/benchmarks.md). Results also go to bench/results/latest.json and
 * bench/results/result-storage.json.
 */
import { randomBytes } from "node:crypto";
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { measureApi, type ThroughputResult } from "./api-throughput.js";
import { renderReport, type BenchReport, type DatabaseFigures, type OrchestrationFigures } from "./report.js";
import { measureLifecycle, renderLifecycleReport } from "./lifecycle-bench.js";
import { renderManageReport, type ManageFigures } from "./manage-report.js";
import { measureResultStorage } from "./result-storage-bench.js";
import { measureUiGraph, renderUiGraphReport } from "./ui-graph-bench.js";
import { measureTopology, renderTopologyReport } from "./topology-bench.js";
import { renderStorageReport } from "./result-storage-report.js";
import { measurePageRequests, renderPageRequestsReport } from "./page-requests.js";
import { renderUiScaleReport } from "./ui-scale/ui-scale-report.js";
import { measureUiScale } from "./ui-scale/ui-scale-bench.js";

const root = resolve(import.meta.dirname, "..");
const args = new Set(process.argv.slice(2));
const quick = args.has("--quick");
const only = [...args].find((a) => a.startsWith("--only="))?.slice("--only=".length);
const PG_BASE = process.env.PGURL_BASE ?? "postgres://postgres@127.0.0.1:5432";
const nodeArgs = ["--conditions=@sluice/source", "--import", "tsx"];
const ZOMBIE_WINDOW = 10;
// A server on PostgreSQL refuses to start without a block encryption key; the benchmarks use a fresh one.
const BENCH_KEY = { SLUICE_ENCRYPTION_KEY: randomBytes(32).toString("base64") };

function startServer(env: NodeJS.ProcessEnv): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [...nodeArgs, join(root, "bench/server-process.ts")], {
    env: { ...process.env, ...BENCH_KEY, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolveStart, reject) => {
    child.once("exit", (code) => reject(new Error(`benchmark server exited early with code ${code}`)));
    createInterface({ input: child.stdout }).once("line", (line) => {
      const { url } = JSON.parse(line) as { url: string };
      child.removeAllListeners("exit");
      const stop = () =>
        new Promise<void>((done) => {
          child.once("exit", () => done());
          child.kill("SIGTERM");
        });
      resolveStart({ url, stop });
    });
  });
}

function runNode(script: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, join(root, script)], {
      env: { ...process.env, ...BENCH_KEY, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", (code) =>
      code === 0 ? resolveRun(out) : reject(new Error(`${script} exited with code ${code}`)),
    );
  });
}

function psql(sql: string): void {
  execFileSync("psql", [`${PG_BASE}/postgres`, "-qc", sql], { stdio: "inherit" });
}

async function measureDatabase(kind: "postgres" | "pglite"): Promise<DatabaseFigures> {
  const dbName = `sluice_bench_${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), "sluice-bench-"));
  const env: NodeJS.ProcessEnv =
    kind === "postgres"
      ? { SLUICE_DATABASE_URL: `${PG_BASE}/${dbName}`, SLUICE_HOME: dir }
      : { SLUICE_DATABASE_URL: "", SLUICE_HOME: dir, BENCH_PGLITE_DIR: join(dir, "db") };
  if (kind === "postgres") psql(`create database ${dbName}`);
  // A short zombie window, so the worker-kill figure takes seconds (the default is 90 s).
  const server = await startServer({ ...env, SLUICE_ZOMBIE_WINDOW_SECONDS: String(ZOMBIE_WINDOW) });
  try {
    console.error(`[bench] ${kind}: server at ${server.url}; measuring the SDK`);
    const sdkOut = await runNode("bench/sdk-overhead.ts", {
      ...env,
      SLUICE_API_URL: server.url,
      TASKS: quick ? "2000" : "10000",
      FLOWS: quick ? "200" : "1000",
    });
    const sdk = JSON.parse(sdkOut.trim().split("\n").pop()!) as Omit<DatabaseFigures, "database" | "api">;
    console.error(`[bench] ${kind}: API throughput`);
    const api: ThroughputResult[] = await measureApi(server.url, quick ? 3 : 10);
    console.error(`[bench] ${kind}: dispatch and claims`);
    const dispatchOut = await runNode("bench/dispatch.ts", {
      ...env,
      SLUICE_API_URL: server.url,
      RUNS: quick ? "50" : "200",
      CLAIM_RUNS: quick ? "400" : "2000",
    });
    console.error(`[bench] ${kind}: real workers: start to user code, kill -9`);
    const workerOut = await runNode("bench/worker-dispatch.ts", {
      ...env,
      SLUICE_API_URL: server.url,
      STARTS: quick ? "5" : "20",
      ZOMBIE_WINDOW: String(ZOMBIE_WINDOW),
    });
    const orchestration = {
      ...(lastJson(dispatchOut) as Pick<OrchestrationFigures, "latency" | "claims">),
      ...(lastJson(workerOut) as Pick<OrchestrationFigures, "starts" | "flowProcessKill" | "workerKill">),
      scheduler: await measureScheduler(kind, quick),
    };
    return { database: kind, ...sdk, api, orchestration };
  } finally {
    await server.stop();
    if (kind === "postgres") psql(`drop database if exists ${dbName} with (force)`);
    rmSync(dir, { recursive: true, force: true });
  }
}

function lastJson(output: string): unknown {
  return JSON.parse(output.trim().split("\n").pop() ?? "null");
}

/** The scheduler's pass, in its own process and database (it creates tens of thousands of runs). */
async function measureScheduler(kind: "postgres" | "pglite", quickRun: boolean) {
  console.error(`[bench] ${kind}: scheduler pass`);
  const dbName = `sluice_bench_sched_${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), "sluice-bench-sched-"));
  if (kind === "postgres") psql(`create database ${dbName}`);
  try {
    const out = await runNode("bench/scheduler.ts", {
      SLUICE_DATABASE_URL: kind === "postgres" ? `${PG_BASE}/${dbName}` : "",
      BENCH_PGLITE_DIR: join(dir, "db"),
      DEPLOYMENTS: quickRun ? "200" : "1000",
    });
    return lastJson(out) as OrchestrationFigures["scheduler"];
  } finally {
    if (kind === "postgres") psql(`drop database if exists ${dbName} with (force)`);
    rmSync(dir, { recursive: true, force: true });
  }
}

function runPeers(): Promise<Record<string, unknown>[]> {
  const script = resolve(root, "../shared/peers/run.sh");
  if (!existsSync(script)) {
    console.error(`[bench] peers: ${script} not found, skipped`);
    return Promise.resolve([]);
  }
  console.error("[bench] peers: DBOS, graphile-worker, pg-boss, BullMQ (several minutes)");
  return new Promise((resolvePeers) => {
    const child = spawn("bash", [script], { stdio: ["ignore", "pipe", "inherit"] });
    const results: Record<string, unknown>[] = [];
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.startsWith("RESULT "))
        results.push(JSON.parse(line.slice("RESULT ".length)) as Record<string, unknown>);
    });
    child.on("exit", () => resolvePeers(results));
  });
}

/** Replaces the generated block between `<!-- NAME:start -->` and `<!-- NAME:end -->` in docs/benchmarks.md. */
function writeDocBlock(name: string, markdown: string): void {
  const docPath = join(root, "docs/benchmarks.md");
  const doc = readFileSync(docPath, "utf8");
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const [head, rest] = doc.split(start);
  const tail = rest?.split(end)[1];
  if (head === undefined || tail === undefined)
    throw new Error(`docs/benchmarks.md lacks the ${start} ${end} markers`);
  writeFileSync(docPath, `${head}${start}\n${markdown}\n${end}${tail}`);
  // Keep the generated tables in the repository's format, so `npm run check` stays green.
  execFileSync(process.execPath, [join(root, "node_modules/prettier/bin/prettier.cjs"), "--write", docPath]);
  console.error(`[bench] docs/benchmarks.md (${name}) updated`);
}

const command = `npm run bench${process.argv.length > 2 ? " -- " + process.argv.slice(2).join(" ") : ""}`;
mkdirSync(join(root, "bench/results"), { recursive: true });
if (only === "storage") {
  await runStorageScenario();
  process.exit(0);
}
if (only === "lifecycle") {
  await runLifecycleScenario();
  process.exit(0);
}
if (only === "manage") {
  await runManageScenario();
  process.exit(0);
}

async function runManageScenario(): Promise<void> {
  console.error("[bench] management pages: the concurrency overview and artifact keys on PostgreSQL");
  const dbName = `sluice_bench_manage_${process.pid}`;
  psql(`create database ${dbName}`);
  try {
    const out = await runNode("bench/manage-pages.ts", {
      SLUICE_DATABASE_URL: `${PG_BASE}/${dbName}`,
      ...(quick ? { FINISHED: "50000", KEYS: "2000", REQUESTS: "20" } : {}),
    });
    const measured = JSON.parse(out.trim().split("\n").pop()!) as ManageFigures;
    const machine = `${execFileSync("nproc").toString().trim()} cores, Node ${process.version}`;
    const figures = { command, date: new Date().toISOString(), machine, ...measured };
    writeFileSync(join(root, "bench/results/manage-pages.json"), JSON.stringify(figures, null, 2) + "\n");
    const markdown = renderManageReport(figures);
    process.stdout.write(markdown + "\n");
    if (args.has("--write")) writeDocBlock("bench:manage", markdown);
  } finally {
    psql(`drop database if exists ${dbName}`);
  }
}

if (only === "page-requests") {
  await runPageRequestsScenario();
  process.exit(0);
}

/** Requests per page view of every UI page against `sluice start` (bench/page-requests.ts). */
async function runPageRequestsScenario(): Promise<void> {
  console.error("[bench] requests per page view of every UI page, in chromium");
  const measured = await measurePageRequests(root);
  const machine = `${execFileSync("nproc").toString().trim()} cores, Node ${process.version}`;
  const figures = { command, date: new Date().toISOString(), machine, ...measured };
  writeFileSync(join(root, "bench/results/page-requests.json"), JSON.stringify(figures, null, 2) + "\n");
  const markdown = renderPageRequestsReport(figures);
  process.stdout.write(markdown + "\n");
  if (args.has("--write")) writeDocBlock("bench:page-requests", markdown);
}

if (only === "ui-graph") {
  await runUiGraphScenario();
  process.exit(0);
}

/** The run page of a flow run with 10,000 task runs in chromium, on PostgreSQL (bench/ui-graph-bench.ts). */
async function runUiGraphScenario(): Promise<void> {
  console.error("[bench] the run page of a flow run with 10,000 task runs, in chromium");
  const dbName = `sluice_bench_ui_${process.pid}`;
  psql(`create database ${dbName}`);
  const server = await startServer({ SLUICE_DATABASE_URL: `${PG_BASE}/${dbName}` });
  try {
    const measured = await measureUiGraph(server.url, quick ? 2000 : 10_000);
    const machine = `${execFileSync("nproc").toString().trim()} cores, Node ${process.version}`;
    const figures = { command, date: new Date().toISOString(), machine, database: "PostgreSQL", ...measured };
    writeFileSync(join(root, "bench/results/ui-graph.json"), JSON.stringify(figures, null, 2) + "\n");
    const markdown = renderUiGraphReport(figures);
    process.stdout.write(markdown + "\n");
    if (args.has("--write")) writeDocBlock("bench:ui-graph", markdown);
  } finally {
    await server.stop();
    psql(`drop database if exists ${dbName} with (force)`);
  }
}

if (only === "topology") {
  await runTopologyScenario();
  process.exit(0);
}

async function runTopologyScenario(): Promise<void> {
  console.error("[bench] the production topology: two replicas, Redis, two process workers");
  const measured = await measureTopology(`${PG_BASE}/postgres`, quick ? 40 : 150, quick ? 10 : 40);
  const machine = `${execFileSync("nproc").toString().trim()} cores, Node ${process.version}`;
  const figures = { command, date: new Date().toISOString(), machine, ...measured };
  writeFileSync(join(root, "bench/results/topology.json"), JSON.stringify(figures, null, 2) + "\n");
  const markdown = renderTopologyReport(figures);
  process.stdout.write(markdown + "\n");
  if (args.has("--write")) writeDocBlock("bench:topology", markdown);
}

if (only === "ui-scale") {
  const scale = [...args].find((a) => a.startsWith("--scale="))?.slice("--scale=".length) ?? "full";
  const figures = await measureUiScale(root, {
    scale,
    command,
    pgBase: PG_BASE,
    seedOnly: args.has("--seed-only"),
  });
  if (figures) {
    writeFileSync(join(root, "bench/results/ui-scale.json"), JSON.stringify(figures, null, 2) + "\n");
    const markdown = renderUiScaleReport(figures);
    process.stdout.write(markdown + "\n");
    if (args.has("--write")) writeDocBlock("bench:ui-scale", markdown);
  }
  process.exit(0);
}

async function runLifecycleScenario(): Promise<void> {
  console.error("[bench] the example pipeline in embedded mode: wall time and orchestration share");
  const measured = await measureLifecycle(root, quick ? 3 : 10);
  const machine = `${execFileSync("nproc").toString().trim()} cores, Node ${process.version}`;
  const figures = { command, date: new Date().toISOString(), machine, ...measured };
  writeFileSync(join(root, "bench/results/lifecycle.json"), JSON.stringify(figures, null, 2) + "\n");
  const markdown = renderLifecycleReport(figures);
  process.stdout.write(markdown + "\n");
  if (args.has("--write")) writeDocBlock("bench:lifecycle", markdown);
}

async function runStorageScenario(): Promise<void> {
  console.error("[bench] result storage: Sluice against the AWS SDK on a local S3-protocol server");
  const figures = { command, ...(await measureResultStorage(root, quick)) };
  writeFileSync(join(root, "bench/results/result-storage.json"), JSON.stringify(figures, null, 2) + "\n");
  const markdown = renderStorageReport(figures);
  process.stdout.write(markdown + "\n");
  if (args.has("--write")) writeDocBlock("bench:storage", markdown);
}

const report: BenchReport = {
  command,
  date: new Date().toISOString(),
  machine: `${execFileSync("nproc").toString().trim()} cores, Node ${process.version}`,
  databases: [],
  peers: [],
};
// The worker benchmark runs the built CLI, as users do: bring dist/ up to date with the source.
execFileSync(
  process.execPath,
  [join(root, "node_modules/typescript/bin/tsc"), "-b", "packages/cli/tsconfig.build.json"],
  {
    cwd: root,
    stdio: "inherit",
  },
);
for (const kind of ["postgres", "pglite"] as const) {
  if (!only || only === kind) report.databases.push(await measureDatabase(kind));
}
if (!args.has("--skip-peers")) report.peers = await runPeers();

writeFileSync(join(root, "bench/results/latest.json"), JSON.stringify(report, null, 2) + "\n");
const markdown = renderReport(report);
process.stdout.write(markdown + "\n");
if (args.has("--write")) writeDocBlock("bench", markdown);
if (!only) await runStorageScenario();
if (!only) await runLifecycleScenario();
if (!only) await runManageScenario();
if (!only) await runUiGraphScenario();
