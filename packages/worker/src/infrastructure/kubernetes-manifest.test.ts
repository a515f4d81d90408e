import { defaultBaseJobTemplate } from "@sluice/contracts";
import { describe, expect, it } from "vitest";
import { parseJobConfiguration } from "../job-configuration.js";
import { renderJobConfiguration } from "../job-template.js";
import { buildJobManifest, dnsLabel, toEnvList } from "./kubernetes-manifest.js";
import type { JobRequest } from "./launcher.js";

const ID = "0b8f4c3e-7d2a-4c1e-9f6b-123456789abc";

function manifestFor(jobVariables: Record<string, unknown>, template = defaultBaseJobTemplate("kubernetes")) {
  const configuration = renderJobConfiguration(template, { name: "Brave_Otter", ...jobVariables });
  const config = parseJobConfiguration("kubernetes", configuration);
  const request: JobRequest = {
    flowRun: { id: ID, name: "Brave_Otter" },
    configuration,
    deploymentPath: null,
    command: ["sluice", "flow-run", "execute", ID],
    env: { SLUICE_API_URL: "http://sluice:4200", ...config.env, SLUICE_FLOW_RUN_ID: ID },
    name: config.name ?? "Brave_Otter",
    labels: { ...config.labels, "sluice.flow-run-id": ID },
  };
  return buildJobManifest(config, request);
}

describe("buildJobManifest", () => {
  it("builds the Job from the default template: name, namespace, labels, args, env list", () => {
    expect(manifestFor({ env: { TOKEN: "t" }, labels: { team: "data" } })).toEqual({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: {
        generateName: "brave-otter-",
        namespace: "default",
        labels: { team: "data", "sluice.flow-run-id": ID },
      },
      spec: {
        backoffLimit: 0,
        template: {
          metadata: { labels: { "sluice.flow-run-id": ID } },
          spec: {
            restartPolicy: "Never",
            containers: [
              {
                name: "flow-run",
                image: "sluice:latest",
                imagePullPolicy: "IfNotPresent",
                args: ["sluice", "flow-run", "execute", ID],
                env: [
                  { name: "TOKEN", value: "t" },
                  { name: "SLUICE_API_URL", value: "http://sluice:4200" },
                  { name: "SLUICE_FLOW_RUN_ID", value: ID },
                ],
              },
            ],
          },
        },
      },
    });
  });

  it("sets namespace, service account, TTL, backoff and the resources that have values", () => {
    const manifest = manifestFor({
      namespace: "flows",
      serviceAccountName: "runner",
      finishedJobTtl: 300,
      backoffLimit: 2,
      image: "ghcr.io/acme/flows:1",
      cpuRequest: "250m",
      memoryLimit: "1Gi",
    });
    expect(manifest).toMatchObject({
      metadata: { namespace: "flows" },
      spec: {
        backoffLimit: 2,
        ttlSecondsAfterFinished: 300,
        template: {
          spec: {
            serviceAccountName: "runner",
            containers: [
              {
                image: "ghcr.io/acme/flows:1",
                resources: { requests: { cpu: "250m" }, limits: { memory: "1Gi" } },
              },
            ],
          },
        },
      },
    });
  });

  it("keeps a customised manifest's env list and other containers, filling the flow-run container", () => {
    const template = defaultBaseJobTemplate("kubernetes");
    const manifest = template.jobConfiguration.jobManifest as {
      spec: { template: { spec: { containers: unknown[] } } };
    };
    manifest.spec.template.spec.containers = [
      { name: "sidecar", image: "proxy:1" },
      {
        name: "flow-run",
        image: "{{ image }}",
        env: [{ name: "FROM_SECRET", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }],
      },
    ];
    const built = manifestFor({}, template) as typeof manifest;
    const [sidecar, flowRun] = built.spec.template.spec.containers as Record<string, unknown>[];
    expect(sidecar).toEqual({ name: "sidecar", image: "proxy:1" });
    expect(flowRun?.args).toEqual(["sluice", "flow-run", "execute", ID]);
    expect(flowRun?.env).toEqual([
      { name: "FROM_SECRET", valueFrom: { secretKeyRef: { name: "s", key: "k" } } },
      { name: "SLUICE_API_URL", value: "http://sluice:4200" },
      { name: "SLUICE_FLOW_RUN_ID", value: ID },
    ]);
  });

  it("refuses a flow-run container without an image, naming it", () => {
    expect(() => manifestFor({ image: null })).toThrow(/container flow-run has no image/);
  });
});

describe("kubernetes helpers", () => {
  it("makes DNS-1123 labels", () => {
    expect(dnsLabel("My_Flow.Run!")).toBe("my-flow-run");
    expect(dnsLabel("---")).toBe("flow-run");
    expect(dnsLabel("a".repeat(80), 57)).toHaveLength(57);
  });

  it("turns an env object into a list and does not repeat names", () => {
    expect(toEnvList({ A: "1" }, { A: "2", B: "3" })).toEqual([
      { name: "A", value: "1" },
      { name: "B", value: "3" },
    ]);
  });
});
