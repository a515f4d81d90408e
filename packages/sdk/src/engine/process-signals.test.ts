import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSdkTestServer, type SdkTestContext } from "../testing/sdk-test-server.js";

let ctx: SdkTestContext;
beforeAll(async () => {
  ctx = await startSdkTestServer();
});
afterAll(() => ctx.close());

const fixture = fileURLToPath(new URL("../testing/fixtures/interrupted-flow.ts", import.meta.url));

/** Starts the fixture, waits until its flow run is running, sends `signal`, and returns the exit code and run id. */
async function interruptFixture(signal: "SIGINT" | "SIGTERM") {
  const child = spawn(process.execPath, ["--conditions=@sluice/source", "--import", "tsx", fixture], {
    env: { ...process.env, SLUICE_API_URL: ctx.url, SLUICE_HOME: mkdtempSync(join(tmpdir(), "sluice-sig-")) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const flowRunId = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve((JSON.parse(line) as { flowRunId: string }).flowRunId);
    });
    void exited.then((code) => reject(new Error(`fixture exited early (${code}): ${stderr}`)));
  });
  child.kill(signal);
  return { code: await exited, flowRunId, stderr };
}

describe("process signals", () => {
  it("Ctrl-C marks the flow run and its running task runs CANCELLED and exits 130", async () => {
    const { code, flowRunId } = await interruptFixture("SIGINT");
    expect(code).toBe(130);
    expect(await ctx.client.readFlowRun(flowRunId)).toMatchObject({ stateType: "CANCELLED" });
    const [taskRun] = (await ctx.client.filterTaskRuns({ flowRunIds: [flowRunId] })).items;
    expect(taskRun).toMatchObject({ name: "wait-forever-0", stateType: "CANCELLED" });
  });

  it("SIGTERM marks the flow run CRASHED and exits 143", async () => {
    const { code, flowRunId } = await interruptFixture("SIGTERM");
    expect(code).toBe(143);
    expect(await ctx.client.readFlowRun(flowRunId)).toMatchObject({ stateType: "CRASHED" });
  });
});
