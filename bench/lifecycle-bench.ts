/**
 * The example pipeline in embedded mode: `sluice start --no-example` (server on PGlite and the embedded
 * worker, one process), the deployment build-lifecycle/bpl-libraries on local-file-system buckets, and
 * runs created through the API as an operator's `sluice deployment run` would.
 *
 * Per run: wall time from the create request to COMPLETED as seen by a client polling every 10 ms;
 * the time inside stage bodies (each stage's `bodyMs`, from the flow's result); and the orchestration
 * share, the rest: the worker's claim, the flow-run process start, task and state records, artifacts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type SluiceClient } from "@sluice/client";
import { LocalStorage, readResult } from "@sluice/sdk";

export interface LifecycleRun {
  wallMs: number;
  bodyMs: number;
  /** (wall - bodies) / wall. */
  orchestrationShare: number;
  stages: { stage: string; state: string; bodyMs: number }[];
}

export interface LifecycleFigures {
  machine: string;
  /** Fresh builds: every stage runs. */
  fresh: LifecycleRun[];
  /** The same build names again: every stage Cached. */
  cached: LifecycleRun[];
}

interface FlowResult {
  stages: { stage: string; state: string; bodyMs: number }[];
}

const nodeArgs = ["--conditions=@sluice/source", "--import", "tsx"];

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function runCli(root: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, join(root, "packages/cli/src/main.ts"), ...args], {
      cwd,
      env: { ...process.env, ...env },
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("close", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`sluice ${args.join(" ")} failed:\n${output}`)),
    );
  });
}

async function runOnce(api: SluiceClient, deploymentId: string, home: string, timestamp: string) {
  const started = performance.now();
  const created = await api.call("createDeploymentFlowRun", {
    params: { id: deploymentId },
    body: { parameters: { timestamp } },
  });
  for (;;) {
    const run = await api.readFlowRun(created.id);
    if (run.stateType === "COMPLETED") {
      const wallMs = performance.now() - started;
      const ref = run.state?.result;
      if (!ref) throw new Error(`lifecycle run ${run.id} completed without a stored result`);
      const result = await readResult<FlowResult>(new LocalStorage(join(home, "storage")), ref);
      const bodyMs = result.stages.reduce((sum, stage) => sum + stage.bodyMs, 0);
      return { wallMs, bodyMs, orchestrationShare: (wallMs - bodyMs) / wallMs, stages: result.stages };
    }
    if (["FAILED", "CRASHED", "CANCELLED"].includes(run.stateType ?? "")) {
      throw new Error(`lifecycle run ${run.id} ended ${run.stateName}: ${run.state?.message ?? ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Runs `runs` fresh builds and the same builds again (Cached), after one warm-up build. */
export async function measureLifecycle(
  root: string,
  runs: number,
): Promise<Omit<LifecycleFigures, "machine">> {
  const home = mkdtempSync(join(tmpdir(), "sluice-bench-lifecycle-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    SLUICE_HOME: home,
    SLUICE_SERVER_PORT: String(port),
    SLUICE_API_URL: url,
    SLUICE_DATABASE_URL: "",
    SLUICE_LOG_LEVEL: "WARNING",
    NO_COLOR: "1",
  };
  const server: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, join(root, "packages/cli/src/main.ts"), "start", "--no-example"],
    { cwd: root, env: { ...process.env, ...env }, stdio: "ignore" },
  );
  try {
    const api = createClient({ baseUrl: url, retries: 0 });
    for (const deadline = Date.now() + 60_000; !(await api.isHealthy());) {
      if (Date.now() > deadline) throw new Error("the embedded server did not start");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const bucket of ["edm-recipes", "edm-publishing"]) {
      await api.call("saveBlock", {
        params: { type: "local-file-system", name: bucket },
        body: { data: { basePath: join(home, "buckets", bucket) } },
      });
    }
    await api.call("setVariable", {
      params: { name: "lifecycle_recipes_storage" },
      body: { value: "local-file-system/edm-recipes" },
    });
    await api.call("setVariable", {
      params: { name: "lifecycle_publishing_storage" },
      body: { value: "local-file-system/edm-publishing" },
    });
    await runCli(root, ["deploy"], env, join(root, "examples/build-lifecycle"));
    const deployment = await api.call("readDeploymentByName", {
      params: { flowName: "build-lifecycle", name: "bpl-libraries" },
    });
    // Distinct build names (one minute apart) so every fresh run does every stage.
    const stamp = (i: number) =>
      `20300101T${String(Math.floor(i / 60)).padStart(2, "0")}${String(i % 60).padStart(2, "0")}`;
    await runOnce(api, deployment.id, home, stamp(0));
    const fresh: LifecycleRun[] = [];
    for (let i = 1; i <= runs; i++) fresh.push(await runOnce(api, deployment.id, home, stamp(i)));
    const cached: LifecycleRun[] = [];
    for (let i = 1; i <= runs; i++) cached.push(await runOnce(api, deployment.id, home, stamp(i)));
    return { fresh, cached };
  } finally {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGINT");
    await exited;
    rmSync(home, { recursive: true, force: true });
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
};

/** The markdown block of docs/benchmarks.md. */
export function renderLifecycleReport(figures: LifecycleFigures & { command: string; date: string }): string {
  const row = (label: string, runs: LifecycleRun[]) => {
    const wall = median(runs.map((r) => r.wallMs));
    const body = median(runs.map((r) => r.bodyMs));
    const share = median(runs.map((r) => r.orchestrationShare));
    const min = Math.min(...runs.map((r) => r.wallMs));
    const max = Math.max(...runs.map((r) => r.wallMs));
    return `| ${label} | ${runs.length} | ${wall.toFixed(0)} ms (${min.toFixed(0)}–${max.toFixed(0)}) | ${body.toFixed(0)} ms | ${(wall - body).toFixed(0)} ms | ${(share * 100).toFixed(0)}% |`;
  };
  const stageNames = figures.fresh[0]?.stages.map((s) => s.stage) ?? [];
  const perStage = stageNames
    .map((name) => {
      const values = figures.fresh.map((r) => r.stages.find((s) => s.stage === name)?.bodyMs ?? 0);
      return `${name} ${median(values).toFixed(0)} ms`;
    })
    .join(", ");
  return [
    "",
    `Command: \`${figures.command}\` · ${figures.date} · ${figures.machine}`,
    "",
    "| Lifecycle run (embedded: PGlite, one process, local-file-system buckets) | runs | wall p50 (min–max) | in stage bodies p50 | orchestration p50 | orchestration share p50 |",
    "| --- | --- | --- | --- | --- | --- |",
    row("fresh build: seed, plan, load, build, package", figures.fresh),
    row("same build again: every stage Cached", figures.cached),
    "",
    `Stage bodies of a fresh build (p50): ${perStage}. The seed step (four small files) is not a stage and counts as orchestration here.`,
    "",
  ].join("\n");
}
