import { randomUUID } from "node:crypto";
import { defaultBaseJobTemplate, type ClaimedFlowRun } from "@sluice/contracts";
import { describe, expect, it } from "vitest";
import { splitCommandLine } from "./command-line.js";
import { prepareJob } from "./job-request.js";

function claimed(jobVariables: Record<string, unknown>): ClaimedFlowRun {
  const id = randomUUID();
  return {
    flowRun: { id, name: "brave-otter", jobVariables } as ClaimedFlowRun["flowRun"],
    entrypoint: "flows.ts:etl",
    path: "/srv/project",
    deploymentName: "nightly",
  };
}

const launcher = { defaultCommand: (id: string) => ["node", "sluice.js", "flow-run", "execute", id] };
const pool = { type: "process" as const, baseJobTemplate: defaultBaseJobTemplate("process") };

describe("prepareJob", () => {
  it("uses the launcher's command, the run's name, and adds the API URL, the run id and its label", () => {
    const run = claimed({ env: { TOKEN: "x" }, labels: { team: "data" } });
    const { request, streamOutput } = prepareJob(run, pool, launcher, "http://127.0.0.1:4200");
    const id = run.flowRun.id;
    expect(request).toMatchObject({
      command: ["node", "sluice.js", "flow-run", "execute", id],
      name: "brave-otter",
      deploymentPath: "/srv/project",
      env: { TOKEN: "x", SLUICE_API_URL: "http://127.0.0.1:4200", SLUICE_FLOW_RUN_ID: id },
      labels: { team: "data", "sluice.flow-run-id": id },
    });
    expect(streamOutput).toBe(true);
  });

  it("splits a command line from the job variables and lets the job's env set SLUICE_API_URL", () => {
    const run = claimed({
      command: `node -e 'console.log("a b")' --flag "x \\"y\\""`,
      env: { SLUICE_API_URL: "http://api:4200", SLUICE_FLOW_RUN_ID: "not-this" },
      streamOutput: false,
    });
    const { request, streamOutput } = prepareJob(run, pool, launcher, "http://127.0.0.1:4200");
    expect(request.command).toEqual(["node", "-e", 'console.log("a b")', "--flag", 'x "y"']);
    expect(request.env).toMatchObject({
      SLUICE_API_URL: "http://api:4200",
      SLUICE_FLOW_RUN_ID: run.flowRun.id,
    });
    expect(streamOutput).toBe(false);
  });

  it("passes the worker's API key to the flow run, unless the job's env sets its own", () => {
    const withKey = prepareJob(claimed({}), pool, launcher, "http://x", "sluice_worker-key");
    expect(withKey.request.env.SLUICE_API_KEY).toBe("sluice_worker-key");
    const own = prepareJob(claimed({ env: { SLUICE_API_KEY: "job-key" } }), pool, launcher, "http://x", "k");
    expect(own.request.env.SLUICE_API_KEY).toBe("job-key");
    expect(prepareJob(claimed({}), pool, launcher, "http://x").request.env).not.toHaveProperty(
      "SLUICE_API_KEY",
    );
  });

  it("names the field when the rendered configuration has the wrong type", () => {
    expect(() => prepareJob(claimed({ streamOutput: "yes" }), pool, launcher, "http://x")).toThrow(
      /invalid process job configuration: streamOutput/,
    );
    const docker = { type: "docker" as const, baseJobTemplate: defaultBaseJobTemplate("docker") };
    expect(() => prepareJob(claimed({ image: null }), docker, launcher, "http://x")).toThrow(/image/);
  });
});

describe("splitCommandLine", () => {
  it("splits on blanks and honours quotes and backslashes without expanding anything", () => {
    expect(splitCommandLine("  a  'b c' \"d $HOME\" e\\ f '' ")).toEqual(["a", "b c", "d $HOME", "e f", ""]);
  });

  it("refuses an unterminated quote", () => {
    expect(() => splitCommandLine("echo 'oops")).toThrow(/unterminated ' quote/);
  });
});
