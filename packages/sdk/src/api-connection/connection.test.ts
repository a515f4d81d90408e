import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@sluice/client";
import { describe, expect, it } from "vitest";

const fixture = fileURLToPath(new URL("../testing/fixtures/ephemeral-flow.ts", import.meta.url));

async function localServerAnswers(): Promise<boolean> {
  return createClient({ baseUrl: "http://127.0.0.1:4200", retries: 0, timeoutMs: 300 }).isHealthy();
}

interface StartServer {
  startServer: (
    options: Record<string, unknown>,
  ) => Promise<{ url: string; close(this: void): Promise<void> }>;
}

const serverOn4200 = await localServerAnswers();

describe("ephemeral mode", () => {
  it.skipIf(serverOn4200)(
    "starts a temporary server, records the run in SLUICE_HOME/db and says where to see it",
    async () => {
      const home = mkdtempSync(join(tmpdir(), "sluice-eph-"));
      const env: NodeJS.ProcessEnv = { ...process.env, SLUICE_HOME: home };
      delete env.SLUICE_API_URL;
      const child = spawn(process.execPath, ["--conditions=@sluice/source", "--import", "tsx", fixture], {
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
      expect(code, stderr).toBe(0);
      expect(JSON.parse(stdout)).toEqual({ results: [42, 42] });
      expect(stderr.match(/starting a temporary one/g)).toHaveLength(1);
      const flowRunIds = [...stderr.matchAll(/sluice flow-run inspect ([0-9a-f-]{36})/g)].map((m) => m[1]!);
      expect(flowRunIds, stderr).toHaveLength(2);
      expect(stderr).toContain("sluice server start");
      // The run outlives the process: a server on the same data directory still has it.
      const specifier = "@sluice/server";
      const { startServer } = (await import(specifier)) as StartServer;
      const server = await startServer({
        host: "127.0.0.1",
        port: 0,
        home,
        pgliteDataDir: join(home, "db"),
        quiet: true,
      });
      try {
        const client = createClient({ baseUrl: server.url });
        for (const flowRunId of flowRunIds) {
          const run = await client.readFlowRun(flowRunId);
          expect(run).toMatchObject({ flowName: "ephemeral", stateType: "COMPLETED" });
        }
        const taskRuns = await client.filterTaskRuns({ flowRunIds });
        expect(taskRuns.items.map((t) => t.stateType)).toEqual(["COMPLETED", "COMPLETED"]);
      } finally {
        await server.close();
      }
    },
    60_000,
  );
});
