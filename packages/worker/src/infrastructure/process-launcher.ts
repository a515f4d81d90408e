import { spawn, type ChildProcess } from "node:child_process";
import { isAbsolute, resolve } from "node:path";
import { createInterface } from "node:readline";
import { parseJobConfiguration } from "../job-configuration.js";
import type { JobExit, LaunchedJob, Launcher, OutputSink } from "./launcher.js";

/** Options of the process launcher. */
export interface ProcessLauncherOptions {
  /**
   * The argv that executes a flow run, the run's id appended: the CLI passes its own entry, e.g.
   * `[process.execPath, "/path/to/sluice.js", "flow-run", "execute"]`. Required: the worker does not guess.
   */
  flowRunCommand: readonly string[];
  /** The worker's own directory, the last default of a job's working directory (default process.cwd()). */
  cwd?: string;
}

/** How long to wait for output to drain after the process exited (children may hold the pipes). */
const DRAIN_MS = 2000;

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
  return {
    type: "process",
    defaultCommand: (flowRunId) => [...options.flowRunCommand, flowRunId],
    async launch(request, output) {
      const config = parseJobConfiguration("process", request.configuration);
      const cwd = processWorkingDir(config.workingDir, request.deploymentPath, workerCwd);
      const [file, ...args] = request.command;
      if (file === undefined) throw new Error("the job's command is empty");
      const child = spawn(file, args, {
        cwd,
        env: { ...process.env, ...request.env },
        // Its own process group, so cancellation reaches the processes it starts, and so a Ctrl-C
        // in the worker's terminal does not interrupt runs the worker lets finish.
        detached: process.platform !== "win32",
        stdio: ["ignore", "pipe", "pipe"],
      });
      await new Promise<void>((ok, fail) => {
        child.once("spawn", ok);
        child.once("error", (error) => fail(new Error(`cannot start ${file} in ${cwd}: ${error.message}`)));
      });
      return launchedProcess(child, output);
    },
  };
}

function launchedProcess(child: ChildProcess, output: OutputSink): LaunchedJob {
  const pid = child.pid as number;
  const drained = [pipeLines(child.stdout, "stdout", output), pipeLines(child.stderr, "stderr", output)];
  const exited = new Promise<JobExit>((resolveExit) => {
    child.once("exit", (code, signal) => {
      const result = { exitCode: code, signal };
      const timer = setTimeout(() => resolveExit(result), DRAIN_MS);
      void Promise.all(drained).then(() => {
        clearTimeout(timer);
        resolveExit(result);
      });
    });
  });
  let ended = false;
  void exited.then(() => (ended = true));
  return {
    infrastructureId: String(pid),
    exited,
    signal(signal) {
      if (ended) return Promise.resolve();
      try {
        if (process.platform === "win32") child.kill(signal);
        else process.kill(-pid, signal);
      } catch (error) {
        // ESRCH: the group is already gone, which is what the signal was for.
        if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
      }
      return Promise.resolve();
    },
  };
}

function pipeLines(
  stream: NodeJS.ReadableStream | null,
  name: "stdout" | "stderr",
  output: OutputSink,
): Promise<void> {
  if (!stream) return Promise.resolve();
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on("line", (line) => output(name, line));
  return new Promise((done) => lines.once("close", done));
}
