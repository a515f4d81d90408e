/**
 * Live tests of the Docker and Kubernetes launchers. They need a Docker daemon (DOCKER_HOST) or a
 * cluster (KUBECONFIG) and are skipped without one, saying so. The image must contain `sh`; set
 * SLUICE_TEST_IMAGE to use another than busybox.
 */
import { describe, expect, it } from "vitest";
import type { JobRequest, OutputStream } from "./launcher.js";
import { createDockerLauncher } from "./docker-launcher.js";
import { createKubernetesLauncher } from "./kubernetes-launcher.js";

const ID = "0b8f4c3e-7d2a-4c1e-9f6b-123456789abc";
const IMAGE = process.env.SLUICE_TEST_IMAGE ?? "busybox:1.36";

function request(configuration: Record<string, unknown>, script: string): JobRequest {
  return {
    flowRun: { id: ID, name: "live-test" },
    configuration,
    deploymentPath: null,
    command: ["sh", "-c", script],
    env: { GREETING: "hello" },
    name: "live-test",
    labels: { "sluice.flow-run-id": ID },
  };
}

async function collectRun(launch: Promise<{ exited: Promise<unknown> }>, lines: string[]) {
  const job = await launch;
  return { job, exit: await job.exited, lines };
}

const noDocker = !process.env.DOCKER_HOST;
describe.skipIf(noDocker)("docker launcher, live (skipped: DOCKER_HOST is not set)", () => {
  it("runs a container, streams its output and reports its exit code", async () => {
    const lines: string[] = [];
    const sink = (stream: OutputStream, line: string) => lines.push(`${stream}:${line}`);
    const { exit } = await collectRun(
      createDockerLauncher().launch(
        request({ image: IMAGE, env: {} }, 'echo "$GREETING"; echo oops >&2; exit 4'),
        sink,
      ),
      lines,
    );
    expect(exit).toEqual({ exitCode: 4, signal: null });
    expect(lines).toEqual(expect.arrayContaining(["stdout:hello", "stderr:oops"]));
  });
});

const noCluster = !process.env.KUBECONFIG;
describe.skipIf(noCluster)("kubernetes launcher, live (skipped: KUBECONFIG is not set)", () => {
  it("runs a Job, streams its pod's log and reports the exit code", async () => {
    const lines: string[] = [];
    const configuration = {
      namespace: process.env.SLUICE_TEST_NAMESPACE ?? "default",
      jobManifest: {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { generateName: "sluice-live-" },
        spec: { backoffLimit: 0, template: { spec: { containers: [{ name: "flow-run", image: IMAGE }] } } },
      },
    };
    const { exit } = await collectRun(
      createKubernetesLauncher({ pollMs: 500 }).launch(
        request(configuration, 'echo "$GREETING"; exit 4'),
        (_s, l) => lines.push(l),
      ),
      lines,
    );
    expect(exit).toMatchObject({ exitCode: 4 });
    expect(lines).toContain("hello");
  }, 180_000);
});
