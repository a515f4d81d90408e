import type { KubernetesJobConfiguration } from "../job-configuration.js";
import { FLOW_RUN_ID_LABEL, type JobRequest } from "./launcher.js";

type Json = Record<string, unknown>;

/** The container that runs the flow: the one named "flow-run", else the first. */
export const FLOW_RUN_CONTAINER = "flow-run";

/** A DNS-1123 label (lowercase letters, digits, '-'; at most `max` characters), as Job names need. */
export function dnsLabel(text: string, max = 63): string {
  const label = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, max)
    .replace(/-+$/, "");
  return label || "flow-run";
}

function object(value: unknown): Json {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}

/** Environment as Kubernetes wants it: a list of {name, value}; entries already listed are kept. */
export function toEnvList(existing: unknown, env: Record<string, string>): Json[] {
  const list: Json[] = Array.isArray(existing)
    ? existing.filter((entry): entry is Json => typeof object(entry).name === "string")
    : Object.entries(object(existing)).map(([name, value]) => ({ name, value: String(value) }));
  const named = new Set(list.map((entry) => entry.name));
  for (const [name, value] of Object.entries(env)) {
    if (!named.has(name)) list.push({ name, value });
  }
  return list;
}

/** Drops `requests`/`limits` left empty by variables without a value, and `resources` if nothing is left. */
function pruneResources(container: Json): void {
  const resources = object(container.resources);
  for (const key of ["requests", "limits"]) {
    if (key in resources && Object.keys(object(resources[key])).length === 0) delete resources[key];
  }
  if ("resources" in container && Object.keys(resources).length === 0) delete container.resources;
}

/**
 * Builds the Job manifest of a flow run from the rendered `jobManifest`: namespace, a valid
 * generated name, labels (with `sluice.flow-run-id`, on the Job and its pods), and the flow-run
 * container's args (the command) and env (a list of {name, value} with SLUICE_API_URL).
 */
export function buildJobManifest(config: KubernetesJobConfiguration, request: JobRequest): Json {
  const manifest = structuredClone(config.jobManifest);
  const metadata = object(manifest.metadata);
  manifest.metadata = metadata;
  metadata.namespace = config.namespace;
  if (typeof metadata.name === "string") metadata.name = dnsLabel(metadata.name);
  else {
    const generated = typeof metadata.generateName === "string" ? metadata.generateName : request.name;
    metadata.generateName = `${dnsLabel(generated, 57)}-`;
  }
  metadata.labels = { ...object(metadata.labels), ...request.labels };

  const spec = object(manifest.spec);
  manifest.spec = spec;
  const template = object(spec.template);
  spec.template = template;
  const podMetadata = object(template.metadata);
  template.metadata = podMetadata;
  podMetadata.labels = { ...object(podMetadata.labels), [FLOW_RUN_ID_LABEL]: request.flowRun.id };
  const podSpec = object(template.spec);
  template.spec = podSpec;
  podSpec.restartPolicy ??= "Never";
  const containers = Array.isArray(podSpec.containers) ? podSpec.containers.map(object) : [];
  podSpec.containers = containers;
  let container = containers.find((c) => c.name === FLOW_RUN_CONTAINER) ?? containers[0];
  if (!container) {
    container = { name: FLOW_RUN_CONTAINER };
    containers.push(container);
  }
  container.name ??= FLOW_RUN_CONTAINER;
  if (typeof container.image !== "string") {
    throw new Error(`invalid kubernetes job configuration: container ${String(container.name)} has no image`);
  }
  container.args = [...request.command];
  container.env = toEnvList(container.env, request.env);
  pruneResources(container);
  return manifest;
}
