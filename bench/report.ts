/** Renders a benchmark run as the markdown block kept in docs/benchmarks.md. */
import type { ThroughputResult } from "./api-throughput.js";

export interface TaskFigures {
  mode: string;
  tasks: number;
  wallMs: number;
  plainMs: number;
  overheadMsPerTask: number;
  taskRunsRecordedCompleted: number;
}

interface CrashFigures {
  detectionMs: number;
  detectedAs: string | null;
  recoveredMs: number;
  finalState: string | null;
  retriedOnOtherWorker: boolean;
}

export interface OrchestrationFigures {
  latency: { runs: number; claimed: number; p50Ms: number; p95Ms: number; maxMs: number };
  claims: {
    workers: number;
    runs: number;
    claimedTwice: number;
    lost: number;
    completed: number;
    perWorker: number[];
    runsPerSecond: number;
  };
  starts: { runs: number; p50Ms: number; p95Ms: number; maxMs: number };
  flowProcessKill: CrashFigures;
  workerKill: CrashFigures & { zombieWindowSeconds: number };
  scheduler: {
    deployments: number;
    first: { ms: number; runsCreated: number };
    steady: { ms: number; runsCreated: number };
  };
}

export interface DatabaseFigures {
  database: "postgres" | "pglite";
  tasks: TaskFigures[];
  emptyFlow: { calls: number; totalMs: number; msPerFlowRun: number; lastRunState: string | null };
  api: ThroughputResult[];
  orchestration?: OrchestrationFigures;
}

export interface BenchReport {
  command: string;
  date: string;
  machine: string;
  databases: DatabaseFigures[];
  peers: Record<string, unknown>[];
}

const TASK_TARGET_MS = 0.2;
const FLOW_TARGET_MS = 5;

const mark = (value: number, target: number) => (value <= target ? "meets" : "misses");

function num(v: unknown): string {
  return typeof v === "number" ? String(v) : "–";
}

function peerRows(peers: Record<string, unknown>[]): string[] {
  return peers.map((p) => {
    const lat = (p.pickup_latency ?? {}) as Record<string, unknown>;
    const step = p.steps_ms_per_step ?? p.chain_ms_per_hop;
    const name = `${String(p.peer)} ${typeof p.version === "string" ? p.version : ""}`.trim();
    const err = typeof p.error === "string" ? ` (${p.error})` : "";
    return `| ${name}${err} | ${num(p.drain_jobs_per_s_db_confirmed)} | ${num(step)} | ${num(lat.p50_ms)} | ${num(lat.p95_ms)} |`;
  });
}

const CLAIM_TARGET_MS = 5;
const START_TARGET_MS = 500;

/** Dispatch, claims, the scheduler and crash detection, per database. */
function renderOrchestration(databases: DatabaseFigures[]): string[] {
  const out: string[] = ["### Orchestration loop: dispatch, claims, scheduler, crashes", ""];
  out.push("| database | figure | value | target |", "|---|---|---|---|");
  for (const d of databases) {
    const o = d.orchestration!;
    const db = d.database;
    out.push(
      `| ${db} | create run → worker's claim (long-poll), ${o.latency.runs} runs | p50 ${o.latency.p50Ms} ms, p95 ${o.latency.p95Ms} ms (${o.latency.claimed} claimed) | p50 ≤ ${CLAIM_TARGET_MS} (${mark(o.latency.p50Ms, CLAIM_TARGET_MS)}) |`,
      `| ${db} | create run → first line of user code (real worker, child process), ${o.starts.runs} runs | p50 ${o.starts.p50Ms} ms, p95 ${o.starts.p95Ms} ms | p50 ≤ ${START_TARGET_MS} (${mark(o.starts.p50Ms, START_TARGET_MS)}) |`,
      `| ${db} | ${o.claims.workers} claiming workers, ${o.claims.runs} instant runs | ${o.claims.runsPerSecond} runs/s; claimed twice ${o.claims.claimedTwice}, lost ${o.claims.lost}, completed ${o.claims.completed} (per worker ${o.claims.perWorker.join("/")}) | 0 twice, 0 lost |`,
      `| ${db} | scheduler, ${o.scheduler.deployments} deployments with a one-minute cron | first pass ${o.scheduler.first.ms} ms (${o.scheduler.first.runsCreated} runs); a minute later ${o.scheduler.steady.ms} ms (${o.scheduler.steady.runsCreated} runs) | – |`,
      `| ${db} | kill -9 of a flow-run process | found in ${o.flowProcessKill.detectionMs} ms (${o.flowProcessKill.detectedAs ?? "?"}); retry ${o.flowProcessKill.finalState ?? "?"} after ${o.flowProcessKill.recoveredMs} ms | crash retried |`,
      `| ${db} | kill -9 of a worker and its flow-run process (zombie window ${o.workerKill.zombieWindowSeconds} s) | found in ${o.workerKill.detectionMs} ms (${o.workerKill.detectedAs ?? "?"}); retry ${o.workerKill.finalState ?? "?"} on ${o.workerKill.retriedOnOtherWorker ? "the other" : "the same"} worker after ${o.workerKill.recoveredMs} ms | within the window |`,
    );
  }
  return out;
}

/** The generated block: what ran, on what, and every figure beside its target. */
export function renderReport(r: BenchReport): string {
  const out: string[] = [];
  out.push(`Command: \`${r.command}\` · ${r.date} · ${r.machine}`, "");
  out.push("### Per-task overhead and empty flow calls", "");
  out.push("| database | workload | tasks or calls | wall ms | plain ms | overhead | target | recorded |");
  out.push("|---|---|---|---|---|---|---|---|");
  for (const d of r.databases) {
    for (const t of d.tasks) {
      out.push(
        `| ${d.database} | ${t.mode} no-op tasks | ${t.tasks} | ${t.wallMs} | ${t.plainMs} | ${t.overheadMsPerTask} ms/task | ≤ ${TASK_TARGET_MS} (${mark(t.overheadMsPerTask, TASK_TARGET_MS)}) | ${t.taskRunsRecordedCompleted} COMPLETED |`,
      );
    }
    const f = d.emptyFlow;
    out.push(
      `| ${d.database} | empty flow call | ${f.calls} | ${f.totalMs} | – | ${f.msPerFlowRun} ms/flow run | ≤ ${FLOW_TARGET_MS} (${mark(f.msPerFlowRun, FLOW_TARGET_MS)}) | last run ${f.lastRunState} |`,
    );
  }
  out.push("", "### Server API throughput (autocannon, 10 connections)", "");
  out.push("| database | route | requests/s | items/s | p50 ms | p99 ms | non-2xx | errors |");
  out.push("|---|---|---|---|---|---|---|---|");
  for (const d of r.databases) {
    for (const a of d.api) {
      out.push(
        `| ${d.database} | ${a.route} | ${a.requestsPerSecond} | ${a.itemsPerSecond ?? "–"} | ${a.latencyP50Ms} | ${a.latencyP99Ms} | ${a.non2xx} | ${a.errors} |`,
      );
    }
  }
  const withLoop = r.databases.filter((d) => d.orchestration);
  if (withLoop.length > 0) out.push("", ...renderOrchestration(withLoop));
  if (r.peers.length > 0) {
    out.push("", "### Peers, same run, same PostgreSQL", "");
    out.push(
      "| engine | drain 10k no-op jobs (jobs/s) | sequential step (ms/step) | pickup p50 ms | pickup p95 ms |",
    );
    out.push("|---|---|---|---|---|");
    out.push(...peerRows(r.peers));
    const pg = r.databases.find((d) => d.database === "postgres");
    const seq = pg?.tasks.find((t) => t.mode === "sequential");
    if (pg && seq) {
      const flowsPerS = Math.round(1000 / pg.emptyFlow.msPerFlowRun);
      const o = pg.orchestration;
      const drain = o
        ? `${o.claims.runsPerSecond} deployment runs/s claimed and completed by ${o.claims.workers} workers; ${flowsPerS} empty flow runs/s in process`
        : `${flowsPerS} empty flow runs/s, sequential, one client`;
      out.push(
        `| Sluice (PostgreSQL) | ${drain} | ${seq.overheadMsPerTask} | ${o ? `${o.latency.p50Ms} (claim)` : "–"} | ${o ? `${o.latency.p95Ms} (claim)` : "–"} |`,
      );
    }
  }
  return out.join("\n");
}
