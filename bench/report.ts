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

export interface DatabaseFigures {
  database: "postgres" | "pglite";
  tasks: TaskFigures[];
  emptyFlow: { calls: number; totalMs: number; msPerFlowRun: number; lastRunState: string | null };
  api: ThroughputResult[];
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
      out.push(
        `| Sluice (PostgreSQL) | ${flowsPerS} empty flow runs/s, sequential, one client | ${seq.overheadMsPerTask} | – | – |`,
      );
    }
  }
  return out.join("\n");
}
