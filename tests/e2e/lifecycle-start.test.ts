/**
 * `npm start` (`sluice start`) deploys the example pipeline build-lifecycle/bpl-libraries, runs it once
 * on its embedded worker and says where the run, its artifacts and its files are; the deployment then
 * runs again from `sluice deployment run`, and its monthly schedule has upcoming runs.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createClient } from "@sluice/client";
import { CLI, embeddedEnv, ROOT, runCli } from "./support/cli-process.js";
import { freePort } from "./support/free-port.js";

async function until(check: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("npm start with the example pipeline", () => {
  const home = mkdtempSync(join(tmpdir(), "sluice-e2e-lifecycle-"));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it("deploys and runs build-lifecycle/bpl-libraries, then runs it again on demand", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = embeddedEnv(home, port);
    const server = spawn(process.execPath, [...CLI, "start"], { cwd: ROOT, env: { ...process.env, ...env } });
    let output = "";
    server.stdout.on("data", (c: Buffer) => (output += c.toString()));
    server.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => server.on("exit", (code) => resolve(code)));
    try {
      await until(
        () => output.includes("Serving; press Ctrl-C to stop."),
        150_000,
        () => output,
      );
      expect(output).toContain("Deployed build-lifecycle/bpl-libraries (examples/build-lifecycle)");
      expect(output).toMatch(/Flow run \S+ \(([0-9a-f-]{36})\) of build-lifecycle\/bpl-libraries: Completed/);
      expect(output).toMatch(/package-location: .*product_datasets\/template\/package\/24Q3\/libraries/);
      expect(output).toContain(
        `files written in edm-publishing (${join(home, "buckets", "edm-publishing")})`,
      );
      expect(output).toContain("product_datasets/template/package/24Q3/libraries/metadata.yml");

      const packaged = join(home, "buckets/edm-publishing/product_datasets/template/package/24Q3/libraries");
      expect(existsSync(join(packaged, "dataset_files/libraries.csv"))).toBe(true);
      expect(readFileSync(join(packaged, "metadata.yml"), "utf8")).toMatch(/^id: libraries$/m);

      const again = await runCli(["deployment", "run", "build-lifecycle/bpl-libraries", "--watch"], env);
      expect(again.code, again.output + output).toBe(0);

      const client = createClient({ baseUrl: url, retries: 0 });
      const deployment = await client.call("readDeploymentByName", {
        params: { flowName: "build-lifecycle", name: "bpl-libraries" },
      });
      expect(deployment.parameters).toMatchObject({
        recipesStorage: "local-file-system/edm-recipes",
        publishingStorage: "local-file-system/edm-publishing",
      });
      expect(deployment.schedules.map((s) => s.schedule)).toEqual([
        expect.objectContaining({ kind: "cron", cron: "0 6 1 * *", timezone: "America/New_York" }),
      ]);
      const upcoming = await client.call("filterFlowRuns", {
        body: { deploymentIds: [deployment.id], stateTypes: ["SCHEDULED"] },
      });
      // The scheduler keeps at least three runs ahead, each at 06:00 New York on the 1st of a month.
      expect(upcoming.items.length).toBeGreaterThanOrEqual(3);
      for (const run of upcoming.items) {
        const due = new Date(run.nextScheduledStartTime ?? "");
        const local = due.toLocaleString("en-US", { timeZone: "America/New_York", hour12: false });
        expect(local).toMatch(/^\d+\/1\/\d{4}, 06:00:00$/);
      }
    } finally {
      server.kill("SIGINT");
    }
    expect(await exited).toBe(0);
  }, 240_000);
});
