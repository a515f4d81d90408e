import { mkdtempSync, readFileSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { JobRequest, OutputStream } from "./launcher.js";
import { createProcessLauncher, processWorkingDir } from "./process-launcher.js";

const ID = "0b8f4c3e-7d2a-4c1e-9f6b-123456789abc";

function request(
  script: string,
  configuration: Record<string, unknown> = {},
  deploymentPath: string | null = null,
) {
  return {
    flowRun: { id: ID, name: "test-run" },
    configuration,
    deploymentPath,
    command: [process.execPath, "-e", script],
    env: { SLUICE_FLOW_RUN_ID: ID, EXTRA: "from-job" },
    name: "test-run",
    labels: {},
  } satisfies JobRequest;
}

function collect() {
  const lines: [OutputStream, string][] = [];
  return { lines, sink: (stream: OutputStream, line: string) => lines.push([stream, line]) };
}

const launcher = createProcessLauncher({ flowRunCommand: ["unused"] });

describe("the process launcher", () => {
  it("runs the command with the job's env and streams stdout and stderr by line", async () => {
    const { lines, sink } = collect();
    const job = await launcher.launch(
      request(
        `console.log(process.env.SLUICE_FLOW_RUN_ID); console.error("err " + process.env.EXTRA); process.exit(3)`,
      ),
      sink,
    );
    expect(Number(job.infrastructureId)).toBeGreaterThan(0);
    expect(await job.exited).toEqual({ exitCode: 3, signal: null });
    expect(lines).toEqual(
      expect.arrayContaining([
        ["stdout", ID],
        ["stderr", "err from-job"],
      ]),
    );
  });

  it("runs in the job's working directory, else the deployment's path", async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "sluice-launcher-")));
    const { lines, sink } = collect();
    const job = await launcher.launch(request("console.log(process.cwd())", {}, dir), sink);
    await job.exited;
    expect(lines).toEqual([["stdout", dir]]);
    expect(processWorkingDir("sub", dir, "/elsewhere")).toBe(join(dir, "sub"));
    expect(processWorkingDir("/abs", dir, "/elsewhere")).toBe("/abs");
    expect(processWorkingDir(undefined, null, "/worker")).toBe("/worker");
  });

  it("signals the whole process group, so processes the job started stop too", async () => {
    const { lines, sink } = collect();
    const script = `
      const { spawn } = require("node:child_process");
      const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
      console.log(child.pid);
      setInterval(() => {}, 1000);`;
    const job = await launcher.launch(request(script), sink);
    const grandchild = await new Promise<number>((resolve) => {
      const timer = setInterval(() => {
        const line = lines.find(([stream]) => stream === "stdout");
        if (line) {
          clearInterval(timer);
          resolve(Number(line[1]));
        }
      }, 20);
    });
    await job.signal("SIGTERM");
    expect(await job.exited).toEqual({ exitCode: null, signal: "SIGTERM" });
    await expect.poll(() => isAlive(grandchild), { timeout: 10_000 }).toBe(false);
  });

  it("fails to launch a command that does not exist, naming it", async () => {
    const bad = { ...request(""), command: ["/no/such/binary-sluice"] };
    await expect(launcher.launch(bad, () => undefined)).rejects.toThrow(
      /cannot start \/no\/such\/binary-sluice/,
    );
  });
});

/** True while `pid` runs; a zombie (dead, not yet reaped by its new parent) counts as gone. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true; // no /proc: the signal test above is all there is
  }
}
