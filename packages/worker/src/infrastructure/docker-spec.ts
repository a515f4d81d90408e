import type { DockerJobConfiguration } from "../job-configuration.js";
import type { JobRequest } from "./launcher.js";

/** The Docker Engine API's container create options (POST /containers/create), as far as we set them. */
export type ContainerCreateOptions = Record<string, unknown> & {
  name: string;
  Image: string;
  Cmd: string[];
  Env: string[];
  Labels: Record<string, string>;
  HostConfig: Record<string, unknown>;
};

/** The host name a container reaches the Docker host by (mapped with `host-gateway` on Linux). */
export const DOCKER_HOST_ALIAS = "host.docker.internal";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "0.0.0.0"]);

const UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Bytes of a Docker memory size such as "512m", "2g" or "1048576" (binary units, as `docker run -m`). */
export function parseMemorySize(size: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/i.exec(size.trim());
  if (!match) throw new Error(`invalid memLimit "${size}": expected a size such as 512m or 2g`);
  return Math.round(Number(match[1]) * (UNITS[(match[2] ?? "").toLowerCase()] ?? 1));
}

/** A container name from the job's name: Docker allows [a-zA-Z0-9][a-zA-Z0-9_.-]*; unique by the run id. */
export function containerName(jobName: string, flowRunId: string): string {
  const base = jobName
    .replace(/[^a-zA-Z0-9_.-]+/g, "-")
    .replace(/^[^a-zA-Z0-9]+/, "")
    .slice(0, 50)
    .replace(/[-_.]+$/, "");
  return `${base || "flow-run"}-${flowRunId.slice(0, 8)}`;
}

/**
 * A loopback API URL points at the container itself once inside it: rewrite it to the Docker host's
 * alias (unless the container shares the host's network).
 */
export function apiUrlForContainer(url: string, networkMode: string | undefined): string {
  if (networkMode === "host") return url;
  try {
    const parsed = new URL(url);
    if (!LOOPBACK_HOSTS.has(parsed.hostname)) return url;
    parsed.hostname = DOCKER_HOST_ALIAS;
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return url;
  }
}

/** Merges `extra` into `base`: objects key by key, everything else (arrays included) replaced. */
export function mergeDeep(
  base: Record<string, unknown>,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeDeep(current, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Builds the container create options of a job: image, command, environment (a loopback
 * SLUICE_API_URL rewritten for the container), labels, and the host config (binds, network, memory,
 * privileged, auto-remove); the job's `containerCreateOptions` are merged last, so they win.
 */
export function buildContainerCreateOptions(
  config: DockerJobConfiguration,
  request: JobRequest,
): ContainerCreateOptions {
  const networkMode = config.networkMode ?? config.networks[0];
  const env = { ...request.env };
  let rewritten = false;
  if (env.SLUICE_API_URL !== undefined) {
    const url = apiUrlForContainer(env.SLUICE_API_URL, networkMode);
    rewritten = url !== env.SLUICE_API_URL;
    env.SLUICE_API_URL = url;
  }
  const hostConfig: Record<string, unknown> = {
    AutoRemove: config.autoRemove,
    Privileged: config.privileged,
  };
  if (config.volumes.length > 0) hostConfig.Binds = [...config.volumes];
  if (networkMode !== undefined) hostConfig.NetworkMode = networkMode;
  if (config.memLimit !== undefined) hostConfig.Memory = parseMemorySize(config.memLimit);
  // Docker Desktop knows host.docker.internal; Linux engines need it mapped to the host gateway.
  if (rewritten) hostConfig.ExtraHosts = [`${DOCKER_HOST_ALIAS}:host-gateway`];
  const options: ContainerCreateOptions = {
    name: containerName(request.name, request.flowRun.id),
    Image: config.image,
    Cmd: [...request.command],
    Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
    Labels: { ...request.labels },
    HostConfig: hostConfig,
  };
  const first = config.networks[0];
  if (config.networkMode === undefined && first !== undefined) {
    options.NetworkingConfig = { EndpointsConfig: { [first]: {} } };
  }
  return mergeDeep(options, config.containerCreateOptions) as ContainerCreateOptions;
}
