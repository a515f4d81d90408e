import type { WorkPoolType } from "@sluice/contracts";
import { createDockerLauncher, type DockerLauncherOptions } from "./docker-launcher.js";
import { createKubernetesLauncher, type KubernetesLauncherOptions } from "./kubernetes-launcher.js";
import type { Launcher } from "./launcher.js";
import { createProcessLauncher, type ProcessLauncherOptions } from "./process-launcher.js";

/** Options of each launcher, by pool type. */
export interface LauncherOptions {
  process: ProcessLauncherOptions;
  docker?: DockerLauncherOptions;
  kubernetes?: KubernetesLauncherOptions;
}

/** The launcher for a pool's type. */
export function createLauncher(type: WorkPoolType, options: LauncherOptions): Launcher {
  switch (type) {
    case "process":
      return createProcessLauncher(options.process);
    case "docker":
      return createDockerLauncher(options.docker);
    case "kubernetes":
      return createKubernetesLauncher(options.kubernetes);
  }
}
