/**
 * Measures the time from a worker's claim to the first line of a deployment flow's code, including
 * the start of the `sluice flow-run execute` child process (the target: p50 at most 500 ms),
 * through the worker's process launcher: cold (a process started for each run) and warm (handed to
 * the spare the launcher keeps started; the next run is claimed as soon as the last one exits).
 *
 *   npm run build   # the child runs the built CLI, as an installed `sluice` does
 *   node --conditions=@sluice/source --import tsx packages/worker/src/testing/measure-flow-run-startup.ts [dist|cli|src] [runs] [cold,warm]
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@sluice/client";
import { createProcessLauncher } from "../infrastructure/process-launcher.js";
import { prepareJob } from "../job-request.js";
import { startWorkerTestServer } from "./test-server.js";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const mode = process.argv[2] ?? "dist";
const runs = Number(process.argv[3] ?? 21);
const starts = (process.argv[4] ?? "cold,warm").split(",");
/** Milliseconds between a run's end and the next run (MEASURE_GAP_MS, default 0): time for the spare to get ready. */
const gapMs = Number(process.env.MEASURE_GAP_MS ?? 0);
/** dist: the lean entry a process worker launches; cli: the full `sluice flow-run execute`; src: the lean entry from source. */
const commands: Record<string, string[]> = {
  dist: [join(root, "packages/cli/dist/flow-run-execute-main.js")],
  cli: [join(root, "packages/cli/bin/sluice.js"), "flow-run", "execute"],
  src: [
    "--conditions=@sluice/source",
    "--import",
    "tsx",
    join(root, "packages/cli/src/flow-run-execute-main.ts"),
  ],
};
const cli = commands[mode];
if (!cli) throw new Error(`unknown mode ${mode}: expected ${Object.keys(commands).join(", ")}`);

const server = await startWorkerTestServer();
const api = createClient({ baseUrl: server.url });
const pool = `measure-${Date.now()}`;
await api.call("createWorkPool", { body: { name: pool, type: "process" } });
const deployment = await api.call("upsertDeployment", {
  body: {
    flowName: "worker-greet",
    name: pool,
    entrypoint: "flows.ts:greet",
    path: join(root, "packages/cli/src/testing/fixtures/deployment"),
    workPoolName: pool,
  },
});
process.env.SLUICE_HOME = mkdtempSync(join(tmpdir(), "sluice-measure-"));

async function measure(warmStart: boolean): Promise<string> {
  const launcher = createProcessLauncher({
    flowRunCommand: [process.execPath, ...(cli as string[])],
    warmStart,
    onWarning: (message) => console.error(message),
  });
  const times: number[] = [];
  let warmRuns = 0;
  for (let i = 0; i < runs; i++) {
    const run = await api.call("createDeploymentFlowRun", { params: { id: deployment.id }, body: {} });
    const claim = await api.call("claimFlowRuns", {
      params: { pool },
      body: { workerName: "measure", limit: 1 },
    });
    const claimed = claim.runs[0];
    if (claimed?.flowRun.id !== run.id) throw new Error("the claim did not return the new run");
    const claimedAt = performance.now();
    let firstLine: (ms: number) => void = () => undefined;
    const reached = new Promise<number>((resolve) => (firstLine = resolve));
    // The fixture's first statement after an await prints this line.
    const job = await launcher.launch(
      prepareJob(claimed, claim.workPool, launcher, server.url).request,
      (_, line) => {
        if (line.includes("plain stdout")) firstLine(performance.now() - claimedAt);
      },
    );
    if (job.start?.warm) warmRuns++;
    const exit = await Promise.race([reached, job.exited]);
    if (typeof exit !== "number")
      throw new Error(`flow-run execute ended (${JSON.stringify(exit)}) before the flow ran`);
    times.push(exit);
    await job.exited;
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  launcher.close?.();
  times.sort((a, b) => a - b);
  const at = (q: number) => (times[Math.floor(q * (times.length - 1))] ?? NaN).toFixed(0);
  return `${mode} ${warmStart ? "warm" : "cold"} (${warmRuns} of ${times.length} runs warm): claim -> first line of user code: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, min ${at(0)} ms`;
}

for (const start of starts) console.log(await measure(start === "warm"));
await server.close();
