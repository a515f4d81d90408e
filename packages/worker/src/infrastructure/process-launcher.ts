import { isAbsolute, resolve } from "node:path";
import { parseJobConfiguration } from "../job-configuration.js";
import { launchedProcess, spawnWatched, whenSpawned } from "./child-process.js";
import type { Launcher } from "./launcher.js";
import { WarmSpares } from "./warm-spare.js";

/** Options of the process launcher. */
export interface ProcessLauncherOptions {
  /**
   * The argv that executes a flow run, the run's id appended: the CLI passes its own entry, e.g.
   * `[process.execPath, "/path/to/sluice.js", "flow-run", "execute"]`. Required: the worker does not guess.
   */
  flowRunCommand: readonly string[];
  /** The worker's own directory, the last default of a job's working directory (default process.cwd()). */
  cwd?: string;
  /**
   * Keep one flow-run process started and waiting (`flowRunCommand --warm-spare`), and hand it the
   * next run whose job uses the default command (default false; the worker turns it on). It starts
   * when the launcher is created; close() stops it.
   */
  warmStart?: boolean;
  /** Told why warm start could not be used (default: ignored). */
  onWarning?: (message: string) => void;
}

/** The directory a job runs in: its workingDir, else the deployment's path, else the worker's. */
export function processWorkingDir(
  workingDir: string | undefined,
  deploymentPath: string | null,
  workerCwd: string,
): string {
  const base = deploymentPath ? resolve(workerCwd, deploymentPath) : workerCwd;
  if (workingDir === undefined) return base;
  return isAbsolute(workingDir) ? workingDir : resolve(base, workingDir);
}

/** Runs each flow run as a child process of the worker, in its own process group. */
export function createProcessLauncher(options: ProcessLauncherOptions): Launcher {
  const workerCwd = options.cwd ?? process.cwd();
  const defaultCommand = (flowRunId: string) => [...options.flowRunCommand, flowRunId];
  const spares = options.warmStart
    ? new WarmSpares(options.flowRunCommand, options.onWarning ?? (() => undefined))
    : undefined;
  spares?.prepare(workerCwd);
  return {
    type: "process",
    defaultCommand,
    async launch(request, output) {
      const config = parseJobConfiguration("process", request.configuration);
      const cwd = processWorkingDir(config.workingDir, request.deploymentPath, workerCwd);
      const id = request.flowRun.id;
      const usesDefault = sameArgv(request.command, defaultCommand(id));
      const taken = !spares
        ? { reason: "warm start is off" }
        : usesDefault
          ? spares.take({ flowRunId: id, cwd, env: request.env })
          : { reason: "its job sets its own command" };
      if ("process" in taken) {
        taken.process.setOutput(output);
        return launchedProcess(taken.process, { warm: true });
      }
      const watched = spawnWatched(request.command, cwd, { ...process.env, ...request.env }, "ignore");
      watched.setOutput(output);
      await whenSpawned(watched, request.command[0] ?? "", cwd);
      return launchedProcess(watched, { warm: false, reason: taken.reason });
    },
    close: () => spares?.close(),
  };
}

function sameArgv(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((arg, i) => arg === b[i]);
}
