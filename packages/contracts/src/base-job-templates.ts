import type { BaseJobTemplate, WorkPoolType } from "./work-pools.js";

/**
 * The default base job template of each pool type. `variables` is a JSON schema whose defaults a
 * deployment's job variables override; `jobConfiguration` refers to them as `{{ name }}`. A value
 * that is exactly one placeholder takes the variable's value whatever its JSON type; placeholders
 * inside longer strings are replaced by the value's text. The worker renders the template.
 */
const COMMON_VARIABLES = {
  command: {
    type: "string",
    title: "Command",
    description: "The command that executes the flow run (default: `sluice flow-run execute <id>`).",
  },
  env: {
    type: "object",
    title: "Environment",
    description: "Environment variables set for the flow run.",
    additionalProperties: { type: "string" },
    default: {},
  },
  name: { type: "string", title: "Name", description: "A name for the job (default: the flow run's name)." },
  labels: {
    type: "object",
    title: "Labels",
    description: "Labels given to the infrastructure.",
    additionalProperties: { type: "string" },
    default: {},
  },
  streamOutput: {
    type: "boolean",
    title: "Stream output",
    description: "Copy the job's output into the flow run's logs.",
    default: true,
  },
} as const;

const COMMON_CONFIGURATION = {
  command: "{{ command }}",
  env: "{{ env }}",
  name: "{{ name }}",
  labels: "{{ labels }}",
  streamOutput: "{{ streamOutput }}",
} as const;

const PROCESS_TEMPLATE: BaseJobTemplate = {
  variables: {
    type: "object",
    properties: {
      ...COMMON_VARIABLES,
      workingDir: {
        type: "string",
        title: "Working directory",
        description: "Where the process runs (default: the deployment's project directory).",
      },
    },
  },
  jobConfiguration: { ...COMMON_CONFIGURATION, workingDir: "{{ workingDir }}" },
};

const DOCKER_TEMPLATE: BaseJobTemplate = {
  variables: {
    type: "object",
    properties: {
      ...COMMON_VARIABLES,
      image: { type: "string", title: "Image", description: "The image to run.", default: "sluice:latest" },
      imagePullPolicy: { type: "string", enum: ["IfNotPresent", "Always", "Never"], default: "IfNotPresent" },
      networks: { type: "array", items: { type: "string" }, default: [] },
      networkMode: { type: "string" },
      volumes: {
        type: "array",
        items: { type: "string" },
        description: "Bind mounts as host:container[:ro].",
        default: [],
      },
      autoRemove: { type: "boolean", default: true },
      memLimit: { type: "string", description: "A memory limit such as 512m or 2g." },
      privileged: { type: "boolean", default: false },
      containerCreateOptions: {
        type: "object",
        description: "Extra Docker Engine API container create options, merged last.",
        default: {},
      },
    },
  },
  jobConfiguration: {
    ...COMMON_CONFIGURATION,
    image: "{{ image }}",
    imagePullPolicy: "{{ imagePullPolicy }}",
    networks: "{{ networks }}",
    networkMode: "{{ networkMode }}",
    volumes: "{{ volumes }}",
    autoRemove: "{{ autoRemove }}",
    memLimit: "{{ memLimit }}",
    privileged: "{{ privileged }}",
    containerCreateOptions: "{{ containerCreateOptions }}",
  },
};

const KUBERNETES_TEMPLATE: BaseJobTemplate = {
  variables: {
    type: "object",
    properties: {
      ...COMMON_VARIABLES,
      image: { type: "string", title: "Image", default: "sluice:latest" },
      namespace: { type: "string", default: "default" },
      serviceAccountName: { type: "string" },
      imagePullPolicy: { type: "string", enum: ["IfNotPresent", "Always", "Never"], default: "IfNotPresent" },
      backoffLimit: { type: "integer", minimum: 0, default: 0 },
      finishedJobTtl: { type: "integer", minimum: 0, description: "Seconds to keep a finished Job." },
      cpuRequest: { type: "string" },
      cpuLimit: { type: "string" },
      memoryRequest: { type: "string" },
      memoryLimit: { type: "string" },
      podWatchTimeoutSeconds: { type: "integer", minimum: 1, default: 60 },
    },
  },
  jobConfiguration: {
    ...COMMON_CONFIGURATION,
    namespace: "{{ namespace }}",
    podWatchTimeoutSeconds: "{{ podWatchTimeoutSeconds }}",
    jobManifest: {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { generateName: "{{ name }}-", namespace: "{{ namespace }}", labels: "{{ labels }}" },
      spec: {
        backoffLimit: "{{ backoffLimit }}",
        ttlSecondsAfterFinished: "{{ finishedJobTtl }}",
        template: {
          spec: {
            restartPolicy: "Never",
            serviceAccountName: "{{ serviceAccountName }}",
            containers: [
              {
                name: "flow-run",
                image: "{{ image }}",
                imagePullPolicy: "{{ imagePullPolicy }}",
                args: "{{ command }}",
                env: "{{ env }}",
                resources: {
                  requests: { cpu: "{{ cpuRequest }}", memory: "{{ memoryRequest }}" },
                  limits: { cpu: "{{ cpuLimit }}", memory: "{{ memoryLimit }}" },
                },
              },
            ],
          },
        },
      },
    },
  },
};

const TEMPLATES: Record<WorkPoolType, BaseJobTemplate> = {
  process: PROCESS_TEMPLATE,
  docker: DOCKER_TEMPLATE,
  kubernetes: KUBERNETES_TEMPLATE,
};

/** A fresh copy of the default base job template of `type`. */
export function defaultBaseJobTemplate(type: WorkPoolType): BaseJobTemplate {
  return structuredClone(TEMPLATES[type]);
}
