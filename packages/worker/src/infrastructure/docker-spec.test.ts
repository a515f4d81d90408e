import { defaultBaseJobTemplate } from "@sluice/contracts";
import { describe, expect, it } from "vitest";
import { parseJobConfiguration } from "../job-configuration.js";
import { renderJobConfiguration } from "../job-template.js";
import {
  apiUrlForContainer,
  buildContainerCreateOptions,
  containerName,
  mergeDeep,
  parseMemorySize,
} from "./docker-spec.js";
import type { JobRequest } from "./launcher.js";

const ID = "0b8f4c3e-7d2a-4c1e-9f6b-123456789abc";

function specFor(jobVariables: Record<string, unknown>, env: Record<string, string> = {}) {
  const configuration = renderJobConfiguration(defaultBaseJobTemplate("docker"), {
    name: "brave otter",
    ...jobVariables,
  });
  const config = parseJobConfiguration("docker", configuration);
  const request: JobRequest = {
    flowRun: { id: ID, name: "brave otter" },
    configuration,
    deploymentPath: null,
    command: ["sluice", "flow-run", "execute", ID],
    env: { SLUICE_API_URL: "http://127.0.0.1:4200", SLUICE_FLOW_RUN_ID: ID, ...config.env, ...env },
    name: config.name ?? "brave otter",
    labels: { ...config.labels, "sluice.flow-run-id": ID },
  };
  return buildContainerCreateOptions(config, request);
}

describe("buildContainerCreateOptions", () => {
  it("builds image, command, env, labels and host config from the template's defaults", () => {
    expect(specFor({ env: { TOKEN: "t" }, labels: { team: "data" } })).toEqual({
      name: `brave-otter-${ID.slice(0, 8)}`,
      Image: "sluice:latest",
      Cmd: ["sluice", "flow-run", "execute", ID],
      Env: [`SLUICE_API_URL=http://host.docker.internal:4200`, `SLUICE_FLOW_RUN_ID=${ID}`, "TOKEN=t"],
      Labels: { team: "data", "sluice.flow-run-id": ID },
      HostConfig: {
        AutoRemove: true,
        Privileged: false,
        ExtraHosts: ["host.docker.internal:host-gateway"],
      },
    });
  });

  it("maps volumes, network mode, memory and privileged into HostConfig", () => {
    const spec = specFor({
      image: "ghcr.io/acme/flows:1.2",
      volumes: ["/data:/data:ro", "cache:/cache"],
      networkMode: "host",
      memLimit: "512m",
      privileged: true,
      autoRemove: false,
    });
    expect(spec.Image).toBe("ghcr.io/acme/flows:1.2");
    expect(spec.HostConfig).toEqual({
      AutoRemove: false,
      Privileged: true,
      Binds: ["/data:/data:ro", "cache:/cache"],
      NetworkMode: "host",
      Memory: 512 * 1024 ** 2,
    });
    // On the host's network the loopback URL is right as it is.
    expect(spec.Env).toContain("SLUICE_API_URL=http://127.0.0.1:4200");
  });

  it("joins the first network at creation", () => {
    const spec = specFor({ networks: ["flows", "monitoring"] });
    expect(spec.HostConfig.NetworkMode).toBe("flows");
    expect(spec.NetworkingConfig).toEqual({ EndpointsConfig: { flows: {} } });
  });

  it("merges containerCreateOptions last, key by key", () => {
    const spec = specFor({
      memLimit: "1g",
      containerCreateOptions: { User: "1000", HostConfig: { Memory: 1, CpuShares: 512 }, Cmd: ["sh"] },
    });
    expect(spec.User).toBe("1000");
    expect(spec.Cmd).toEqual(["sh"]);
    expect(spec.HostConfig).toMatchObject({ Memory: 1, CpuShares: 512, AutoRemove: true });
  });

  it("leaves a non-loopback API URL alone", () => {
    expect(specFor({}, { SLUICE_API_URL: "http://sluice:4200" }).Env).toContain(
      "SLUICE_API_URL=http://sluice:4200",
    );
    expect(specFor({}, { SLUICE_API_URL: "http://sluice:4200" }).HostConfig).not.toHaveProperty("ExtraHosts");
  });
});

describe("docker spec helpers", () => {
  it("parses memory sizes in binary units and refuses others, naming memLimit", () => {
    expect(parseMemorySize("1048576")).toBe(1048576);
    expect(parseMemorySize("64k")).toBe(65536);
    expect(parseMemorySize("2g")).toBe(2 * 1024 ** 3);
    expect(parseMemorySize("1.5GB")).toBe(1.5 * 1024 ** 3);
    expect(() => parseMemorySize("lots")).toThrow(/invalid memLimit "lots"/);
  });

  it("makes valid, unique container names", () => {
    expect(containerName("-My flow/run!", ID)).toBe(`My-flow-run-${ID.slice(0, 8)}`);
    expect(containerName("***", ID)).toBe(`flow-run-${ID.slice(0, 8)}`);
  });

  it("rewrites only loopback hosts", () => {
    expect(apiUrlForContainer("http://localhost:4200/", undefined)).toBe("http://host.docker.internal:4200");
    expect(apiUrlForContainer("http://10.0.0.5:4200", undefined)).toBe("http://10.0.0.5:4200");
    expect(apiUrlForContainer("http://127.0.0.1:4200", "host")).toBe("http://127.0.0.1:4200");
  });

  it("merges objects deeply and replaces arrays", () => {
    expect(mergeDeep({ a: { b: 1, c: [1] } }, { a: { c: [2], d: 3 } })).toEqual({
      a: { b: 1, c: [2], d: 3 },
    });
  });
});
