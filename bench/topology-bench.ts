/**
 * The production topology (tests/e2e/support/topology.ts): PostgreSQL, Redis, an S3-protocol server,
 * two server replicas sharing events through Redis and two process workers, all from one env file.
 *
 * Load: a backlog of instant flow runs (the flow appends its id to a file) created through both
 * replicas, 16 requests at a time, until all have COMPLETED: runs per second from the first create to
 * the last completion. Then paced runs, one every PACE_MS, below that rate, so dispatch latency is
 * the system's and not the backlog's queueing: created → claimed (PENDING) and created → RUNNING (the
 * flow-run process started and reported in). RSS of each long-lived process (servers, workers without
 * their flow-run children, Redis) at rest, and its peak during both phases, sampled every 250 ms.
 */
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inParallel, startTopology, waitFor } from "../tests/e2e/support/topology.js";

/** Gap between two paced runs. */
const PACE_MS = 1500;

export interface TopologyFigures {
  runs: number;
  pacedRuns: number;
  paceMs: number;
  workerLimit: number;
  runsPerSecond: number;
  completed: number;
  executedOnce: boolean;
  claimMs: { p50: number; p95: number };
  runningMs: { p50: number; p95: number };
  memory: { process: string; restMb: number; peakMb: number }[];
}

function rssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8")
      .split("\n")
      .find((l) => l.startsWith("VmRSS:"));
    return line ? Math.round(Number(line.replace(/\D+/g, "")) / 102.4) / 10 : 0;
  } catch {
    // The process is gone (it exited between two samples): it uses no memory.
    return 0;
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const value = sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  return Math.round(value * 10) / 10;
}

export async function measureTopology(
  adminUrl: string,
  runs: number,
  pacedRuns: number,
): Promise<TopologyFigures> {
  const workerLimit = 8;
  const topology = await startTopology({ adminUrl, workerLimit });
  try {
    const { viaA, viaB } = topology;
    const processes = () => [
      { process: "server A", pid: topology.servers[0]?.child.pid },
      { process: "server B", pid: topology.servers[1]?.child.pid },
      { process: "worker 1", pid: topology.workers[0]?.child.pid },
      { process: "worker 2", pid: topology.workers[1]?.child.pid },
      { process: "redis", pid: topology.redis.pid },
    ];
    // At rest: everything started, workers waiting in their long-polls.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const rest = processes().map((p) => ({ ...p, restMb: rssMb(p.pid), peakMb: 0 }));
    const sampler = setInterval(() => {
      for (const p of rest) p.peakMb = Math.max(p.peakMb, rssMb(p.pid));
    }, 250);

    const ledger = join(topology.dir, "bench-ledger.txt");
    writeFileSync(ledger, "");
    const deployment = await viaB.call("readDeploymentByName", {
      params: { flowName: "topology-instant", name: "instant" },
    });
    const started = Date.now();
    const ids = await inParallel(
      Array.from({ length: runs }, (_, i) => i),
      16,
      async (i) =>
        (
          await (i % 2 === 0 ? viaA : viaB).call("createDeploymentFlowRun", {
            params: { id: deployment.id },
            body: { id: randomUUID(), parameters: { ledger } },
          })
        ).id,
    );
    await waitFor(
      `${runs} runs to complete`,
      async () => {
        const { count } = await viaB.call("countFlowRuns", {
          body: { deploymentIds: [deployment.id], stateTypes: ["COMPLETED", "FAILED", "CRASHED"] },
        });
        return count >= runs ? count : undefined;
      },
      runs * 2_000,
      topology.explain,
    );
    const seconds = (Date.now() - started) / 1000;
    const completedRuns = await inParallel(ids, 16, async (id) => (await viaB.readFlowRun(id)).stateType);

    const paced: string[] = [];
    for (let i = 0; i < pacedRuns; i++) {
      const created = await (i % 2 === 0 ? viaA : viaB).call("createDeploymentFlowRun", {
        params: { id: deployment.id },
        body: { id: randomUUID(), parameters: { ledger } },
      });
      paced.push(created.id);
      await new Promise((resolve) => setTimeout(resolve, PACE_MS));
    }
    await waitFor(
      "the paced runs to complete",
      async () => {
        const { count } = await viaB.call("countFlowRuns", {
          body: { deploymentIds: [deployment.id], stateTypes: ["COMPLETED", "FAILED", "CRASHED"] },
        });
        return count >= runs + pacedRuns ? count : undefined;
      },
      120_000,
      topology.explain,
    );
    clearInterval(sampler);
    const latencies = await inParallel(paced, 8, async (id) => {
      const run = await viaB.readFlowRun(id);
      const states = await viaB.readFlowRunStates(id);
      const at = (type: string) => Date.parse(states.find((s) => s.type === type)?.timestamp ?? "");
      const createdAt = Date.parse(run.createdAt);
      return { claim: at("PENDING") - createdAt, running: at("RUNNING") - createdAt };
    });
    const lines = readFileSync(ledger, "utf8").split("\n").filter(Boolean);
    return {
      runs,
      pacedRuns,
      paceMs: PACE_MS,
      workerLimit,
      runsPerSecond: Math.round((runs / seconds) * 10) / 10,
      completed: completedRuns.filter((state) => state === "COMPLETED").length,
      executedOnce: lines.length === runs + pacedRuns && new Set(lines).size === runs + pacedRuns,
      claimMs: {
        p50: percentile(
          latencies.map((l) => l.claim),
          50,
        ),
        p95: percentile(
          latencies.map((l) => l.claim),
          95,
        ),
      },
      runningMs: {
        p50: percentile(
          latencies.map((l) => l.running),
          50,
        ),
        p95: percentile(
          latencies.map((l) => l.running),
          95,
        ),
      },
      memory: rest.map(({ process, restMb, peakMb }) => ({ process, restMb, peakMb })),
    };
  } finally {
    await topology.close();
  }
}

export function renderTopologyReport(
  figures: TopologyFigures & { command: string; date: string; machine: string },
) {
  const memory = figures.memory.map((m) => `| ${m.process} | ${m.restMb} | ${m.peakMb} |`).join("\n");
  return [
    `_Measured ${figures.date.slice(0, 10)} on ${figures.machine} with \`${figures.command}\`._`,
    "",
    "| Two server replicas (events through Redis), two process workers (limit " +
      `${figures.workerLimit} each), PostgreSQL | figure |`,
    "| --- | --- |",
    `| backlog of instant flow runs created through both replicas | ${figures.runs} (completed ${figures.completed}; every run of both phases executed once: ${figures.executedOnce ? "yes" : "NO"}) |`,
    `| sustained rate, first create → last completion | ${figures.runsPerSecond} runs/s |`,
    `| dispatch, ${figures.pacedRuns} runs one every ${figures.paceMs} ms: created → claimed (PENDING) | p50 ${figures.claimMs.p50} ms, p95 ${figures.claimMs.p95} ms |`,
    `| dispatch, same runs: created → RUNNING (flow-run process reported in) | p50 ${figures.runningMs.p50} ms, p95 ${figures.runningMs.p95} ms |`,
    "",
    "| process | RSS at rest (MB) | RSS peak under load (MB) |",
    "| --- | --- | --- |",
    memory,
  ].join("\n");
}
