/**
 * @sluice/worker: serves a work pool. It claims the pool's due flow runs (a long-poll the server
 * answers as soon as one is due), renders each run's job from the pool's base job template, and
 * launches it as a process, a Docker container or a Kubernetes Job; it records crashes, carries out
 * cancellations and heartbeats so the server shows it ONLINE.
 *
 * @example
 * import { createWorker } from "@sluice/worker";
 * const worker = createWorker({
 *   apiUrl: "http://127.0.0.1:4200",
 *   pool: "local",
 *   createPoolType: "process",
 *   launchers: { process: { flowRunCommand: [process.execPath, "/path/to/sluice.js", "flow-run", "execute"] } },
 * });
 * process.once("SIGINT", () => worker.stop());
 * await worker.run();
 */
export { createWorker, WorkPoolNotFoundError, type Worker } from "./worker.js";
export { defaultWorkerName, type WorkerOptions } from "./worker-options.js";
export { consoleWorkerLogger, type WorkerLogger } from "./worker-logger.js";
export { startHealthcheck, type Healthcheck, type HealthcheckOptions } from "./healthcheck.js";
export { renderJobConfiguration, resolveJobVariables } from "./job-template.js";
export { reconnectDelayMs, type BackoffOptions } from "./reconnect-backoff.js";
export { splitCommandLine } from "./command-line.js";
export {
  DockerJobConfiguration,
  InvalidJobConfigurationError,
  KubernetesJobConfiguration,
  ProcessJobConfiguration,
  parseJobConfiguration,
} from "./job-configuration.js";
export {
  FLOW_RUN_ID_LABEL,
  type JobExit,
  type JobRequest,
  type JobStart,
  type LaunchedJob,
  type Launcher,
  type OutputSink,
  type OutputStream,
} from "./infrastructure/launcher.js";
export { createLauncher, type LauncherOptions } from "./infrastructure/launchers.js";
export { createProcessLauncher, type ProcessLauncherOptions } from "./infrastructure/process-launcher.js";
export { WARM_SPARE_FLAG, type WarmHandoff } from "./infrastructure/warm-spare.js";
export { createDockerLauncher, type DockerLauncherOptions } from "./infrastructure/docker-launcher.js";
export { buildContainerCreateOptions, type ContainerCreateOptions } from "./infrastructure/docker-spec.js";
export {
  createKubernetesLauncher,
  type KubernetesLauncherOptions,
} from "./infrastructure/kubernetes-launcher.js";
export { buildJobManifest } from "./infrastructure/kubernetes-manifest.js";
export { OUTPUT_LOGGER_NAME } from "./run-output-logs.js";
