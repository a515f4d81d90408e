/**
 * The production topology without Docker (tests/e2e/support/topology.ts): PostgreSQL, Redis and an
 * S3-protocol server standing in for MinIO, the migration step, two server replicas and two workers,
 * each its own process on loopback, all configured from one env file read by `node --env-file`. The
 * build-lifecycle deployment runs while one server replica and one worker (with its flow-run process)
 * are killed with -9; then instant runs are created through both replicas and each executes exactly
 * once. Needs PostgreSQL: it runs in the PostgreSQL pass (SLUICE_TEST_DATABASE_URL).
 */
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FlowRun } from "@sluice/contracts";
import { alive, inParallel, kill9, startTopology, waitFor, type Topology } from "./support/topology.js";

const adminUrl = process.env.SLUICE_TEST_DATABASE_URL || undefined;
/** Instant runs created through both replicas (SLUICE_TOPOLOGY_RUNS overrides, for a quicker local run). */
const RUNS = Number(process.env.SLUICE_TOPOLOGY_RUNS || 500);
const TERMINAL = new Set(["COMPLETED", "FAILED", "CANCELLED", "CRASHED"]);

describe.skipIf(!adminUrl)(
  "the production topology: PostgreSQL, Redis, S3, migrate, two server replicas, two workers (needs PostgreSQL: SLUICE_TEST_DATABASE_URL)",
  () => {
    let topology: Topology;
    const wait = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number) =>
      waitFor(what, probe, timeoutMs, () => topology.explain());

    beforeAll(async () => {
      topology = await startTopology({ adminUrl: adminUrl!, workerLimit: 8, logLevel: "info" });
    }, 180_000);
    afterAll(() => topology?.close());

    it("completes the build lifecycle although a server replica and a worker are killed mid-run", async () => {
      const { viaA, viaB, servers, workers, s3 } = topology;
      const deployment = await viaA.call("readDeploymentByName", {
        params: { flowName: "build-lifecycle", name: "bpl-libraries" },
      });
      const created = await viaA.call("createDeploymentFlowRun", { params: { id: deployment.id }, body: {} });
      const running = await wait(
        "the lifecycle run to start",
        async () => {
          const run = await viaB.readFlowRun(created.id);
          return run.stateType === "RUNNING" && run.infrastructureId ? run : undefined;
        },
        90_000,
      );
      // Replica A goes away at once: workers and the flow-run process move on to B.
      await kill9(servers[0]!);
      // So does the worker running the flow, with its flow-run process (as when its host dies).
      const { items } = await viaB.call("listWorkers", { params: { pool: "default" } });
      const owner = items.find((w) => w.id === running.workerId)?.name;
      const victim = workers.find((w) => w.name === owner);
      if (!victim) throw new Error(`no started worker runs ${created.id} (worker ${running.workerId})`);
      await kill9(victim);
      try {
        process.kill(Number(running.infrastructureId), "SIGKILL");
      } catch (error) {
        // Only "already gone" is acceptable: the run may have ended its process just now.
        if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
      }

      const ended = await wait(
        "the lifecycle run to end",
        async () => {
          const run = await viaB.readFlowRun(created.id);
          return TERMINAL.has(run.stateType ?? "") ? run : undefined;
        },
        150_000,
      );
      const states = await viaB.readFlowRunStates(created.id);
      expect(ended.stateType, `${JSON.stringify(states)}\n${topology.explain()}`).toBe("COMPLETED");
      // Retried by its crashRetries once the zombie window passed without heartbeats, on the other worker.
      expect(states.map((s) => s.name)).toContain("AwaitingRetry");
      expect(ended.workerId).not.toBe(running.workerId);

      // Nothing lost: every stage's task run completed, logs and the summary artifact are there...
      const taskRuns = await viaB.filterTaskRuns({ flowRunIds: [created.id], limit: 200 });
      const completed = taskRuns.items.filter((t) => t.stateType === "COMPLETED").map((t) => t.taskKey);
      for (const stage of ["plan", "load", "build", "package"]) {
        expect(
          completed.some((key) => key.includes(stage)),
          `${stage} in ${completed.join(",")}`,
        ).toBe(true);
      }
      const logs = await viaB.filterLogs({ flowRunId: created.id, limit: 200 });
      expect(logs.items.length).toBeGreaterThan(0);
      const artifacts = await viaB.call("filterArtifacts", { body: { flowRunId: created.id } });
      expect(artifacts.items.map((a) => a.key)).toContain("build-lifecycle-summary");
      // ...and the package's files are in the S3 server.
      const prefix = "product_datasets/template/package/24Q3/libraries/";
      expect(await s3.storage("edm-publishing").list(prefix)).toEqual(
        expect.arrayContaining([`${prefix}metadata.yml`, `${prefix}dataset_files/libraries.csv`]),
      );
    }, 240_000);

    it(
      `runs ${RUNS} instant flow runs created through both replicas, each exactly once`,
      async () => {
        const { viaA, viaB, workers } = topology;
        // The killed processes come back, as a supervisor (compose's restart policy) brings them back.
        await topology.startServerReplica(0);
        for (const index of [0, 1] as const) if (!alive(workers[index])) topology.startWorker(index);
        await topology.workersOnline(2);

        const ledger = join(topology.dir, "ledger.txt");
        writeFileSync(ledger, "");
        const deployment = await viaB.call("readDeploymentByName", {
          params: { flowName: "topology-instant", name: "instant" },
        });
        const ids = await inParallel(
          Array.from({ length: RUNS }, (_, i) => i),
          16,
          async (i) =>
            (
              await (i % 2 === 0 ? viaA : viaB).call("createDeploymentFlowRun", {
                params: { id: deployment.id },
                // A client-chosen id makes a retried create idempotent.
                body: { id: randomUUID(), parameters: { ledger } },
              })
            ).id,
        );
        expect(new Set(ids).size).toBe(RUNS);

        await wait(
          `${RUNS} runs to end`,
          async () => {
            const { count } = await viaB.call("countFlowRuns", {
              body: {
                deploymentIds: [deployment.id],
                stateTypes: ["COMPLETED", "FAILED", "CANCELLED", "CRASHED"],
              },
            });
            return count >= RUNS ? count : undefined;
          },
          60_000 + RUNS * 1_000,
        );
        const runs: FlowRun[] = await inParallel(ids, 16, (id) => viaB.readFlowRun(id));
        expect(runs.filter((r) => r.stateType !== "COMPLETED").map((r) => `${r.id} ${r.stateName}`)).toEqual(
          [],
        );
        // Executed exactly once: one ledger line per run, and one RUNNING state in each history.
        const lines = readFileSync(ledger, "utf8").split("\n").filter(Boolean);
        expect(lines.length).toBe(RUNS);
        expect([...lines].sort()).toEqual([...ids].sort());
        const running = await inParallel(
          ids,
          16,
          async (id) => (await viaB.readFlowRunStates(id)).filter((s) => s.type === "RUNNING").length,
        );
        expect(running.filter((n) => n !== 1)).toEqual([]);
        // Both workers took part.
        expect(new Set(runs.map((r) => r.workerId)).size).toBe(2);
      },
      120_000 + RUNS * 1_200,
    );
  },
);
