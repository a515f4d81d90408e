import type { WorkPoolType } from "@sluice/contracts";
import { z } from "zod";

/** Environment values and labels: strings (numbers and booleans are turned into text). */
const StringMap = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String))
  .default({});

/** The fields every pool type's job configuration has (see the default base job templates). */
const CommonFields = {
  /** A command line (split like a shell would, without expansion) or an argv array. */
  command: z.union([z.string().min(1), z.array(z.string()).min(1)]).optional(),
  env: StringMap,
  name: z.string().min(1).optional(),
  labels: StringMap,
  streamOutput: z.boolean().default(true),
};

export const ProcessJobConfiguration = z.looseObject({
  ...CommonFields,
  workingDir: z.string().min(1).optional(),
});
export type ProcessJobConfiguration = z.infer<typeof ProcessJobConfiguration>;

export const DockerJobConfiguration = z.looseObject({
  ...CommonFields,
  image: z.string().min(1),
  imagePullPolicy: z.enum(["IfNotPresent", "Always", "Never"]).default("IfNotPresent"),
  networks: z.array(z.string().min(1)).default([]),
  networkMode: z.string().min(1).optional(),
  volumes: z.array(z.string().min(1)).default([]),
  autoRemove: z.boolean().default(true),
  memLimit: z.string().min(1).optional(),
  privileged: z.boolean().default(false),
  containerCreateOptions: z.record(z.string(), z.unknown()).default({}),
});
export type DockerJobConfiguration = z.infer<typeof DockerJobConfiguration>;

export const KubernetesJobConfiguration = z.looseObject({
  ...CommonFields,
  namespace: z.string().min(1).default("default"),
  podWatchTimeoutSeconds: z.number().int().min(1).default(60),
  jobManifest: z.record(z.string(), z.unknown()),
});
export type KubernetesJobConfiguration = z.infer<typeof KubernetesJobConfiguration>;

const SCHEMAS = {
  process: ProcessJobConfiguration,
  docker: DockerJobConfiguration,
  kubernetes: KubernetesJobConfiguration,
} as const;

/** A rendered job configuration that does not fit its pool type; the message names each field. */
export class InvalidJobConfigurationError extends Error {
  override readonly name = "InvalidJobConfigurationError";
}

/** Checks a rendered job configuration against its pool type's shape. */
export function parseJobConfiguration<T extends WorkPoolType>(
  type: T,
  rendered: unknown,
): z.infer<(typeof SCHEMAS)[T]> {
  const parsed = SCHEMAS[type].safeParse(rendered);
  if (parsed.success) return parsed.data as z.infer<(typeof SCHEMAS)[T]>;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(job)"}: ${issue.message}`);
  throw new InvalidJobConfigurationError(`invalid ${type} job configuration: ${issues.join("; ")}`);
}
