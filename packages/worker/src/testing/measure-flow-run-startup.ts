/**
 * Measures the time from a worker's claim to the first line of a deployment flow's code, including
 * the start of the `sluice flow-run execute` child process (the target: p50 at most 500 ms).
 *
 *   npm run build   # the child runs the built CLI, as an installed `sluice` does
 *   node --conditions=@sluice/source --import tsx packages/worker/src/testing/measure-flow-run-startup.ts [dist|cli|src] [runs]
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@sluice/client";
import { startWorkerTestServer } from "./test-server.js";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const mode = process.argv[2] ?? "dist";
const runs = Number(process.argv[3] ?? 21);
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
const home = mkdtempSync(join(tmpdir(), "sluice-measure-"));
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const run = await api.call("createDeploymentFlowRun", { params: { id: deployment.id }, body: {} });
  const claim = await api.call("claimFlowRuns", {
    params: { pool },
    body: { workerName: "measure", limit: 1 },
  });
  if (claim.runs[0]?.flowRun.id !== run.id) throw new Error("the claim did not return the new run");
  const claimedAt = performance.now();
  const child = spawn(process.execPath, [...cli, run.id], {
    env: { ...process.env, SLUICE_API_URL: server.url, SLUICE_HOME: home },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr?.resume();
  // The fixture's first statement after an await prints this line.
  times.push(
    await new Promise<number>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("plain stdout")) resolve(performance.now() - claimedAt);
      });
      child.once("exit", (code) =>
        reject(new Error(`flow-run execute exited with ${code} before the flow ran`)),
      );
    }),
  );
  await new Promise((resolve) => child.once("exit", resolve));
}
times.sort((a, b) => a - b);
const at = (q: number) => (times[Math.floor(q * (times.length - 1))] ?? NaN).toFixed(0);
console.log(
  `${mode}: claim -> first line of user code over ${times.length} runs: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, min ${at(0)} ms`,
);
await server.close();
