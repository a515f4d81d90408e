import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import type { JobExit, JobStart, LaunchedJob, OutputSink, OutputStream } from "./launcher.js";

/** How long to wait for output to drain after the process exited (children may hold the pipes). */
const DRAIN_MS = 2000;
/** Lines a process may print before its output has a sink (a warm spare's startup warnings). */
const EARLY_LINES = 200;

/** A child process whose output is read line by line from the moment it is spawned. */
export interface WatchedProcess {
  readonly child: ChildProcess;
  /** Resolves when the process has ended and its output has been read to the end. */
  readonly exited: Promise<JobExit>;
  /** True once the process has exited (its output may still be draining) or could not start. */
  readonly ended: boolean;
  /** Where its output goes from now on; the lines printed before are passed on first. */
  setOutput(sink: OutputSink): void;
  /** The lines printed while no sink was set (the last EARLY_LINES of them). */
  earlyLines(): readonly string[];
}

/**
 * Spawns a command in its own process group, so cancellation reaches the processes it starts, and
 * so a Ctrl-C in the worker's terminal does not interrupt runs the worker lets finish. stdin is a
 * pipe only for warm spares, which read their run from it.
 */
export function spawnWatched(
  argv: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  stdin: "ignore" | "pipe",
): WatchedProcess {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error("the job's command is empty");
  const child = spawn(file, args, {
    cwd,
    env,
    detached: process.platform !== "win32",
    stdio: [stdin, "pipe", "pipe"],
  });
  return watch(child);
}

/** Resolves once the process has started; rejects, naming the command, when it cannot. */
export function whenSpawned(watched: WatchedProcess, file: string, cwd: string): Promise<void> {
  const { child } = watched;
  if (child.pid !== undefined) return Promise.resolve();
  return new Promise<void>((ok, fail) => {
    child.once("spawn", ok);
    child.once("error", (error) => fail(new Error(`cannot start ${file} in ${cwd}: ${error.message}`)));
  });
}

function watch(child: ChildProcess): WatchedProcess {
  const early: [OutputStream, string][] = [];
  let sink: OutputSink | undefined;
  const route: OutputSink = (stream, line) => {
    if (sink) return sink(stream, line);
    early.push([stream, line]);
    if (early.length > EARLY_LINES) early.shift();
  };
  const drained = [pipeLines(child.stdout, "stdout", route), pipeLines(child.stderr, "stderr", route)];
  let ended = false;
  const exited = new Promise<JobExit>((resolveExit) => {
    const finish = (result: JobExit) => {
      ended = true;
      const timer = setTimeout(() => resolveExit(result), DRAIN_MS);
      void Promise.all(drained).then(() => {
        clearTimeout(timer);
        resolveExit(result);
      });
    };
    child.once("exit", (code, signal) => finish({ exitCode: code, signal }));
    // A process that never started has no exit event; launch() reports its error.
    child.once("error", () => {
      if (child.pid === undefined) finish({ exitCode: null, signal: null });
    });
  });
  return {
    child,
    exited,
    get ended() {
      return ended || child.exitCode !== null || child.signalCode !== null;
    },
    setOutput(next) {
      for (const [stream, line] of early.splice(0)) next(stream, line);
      sink = next;
    },
    earlyLines: () => early.map(([, line]) => line),
  };
}

/** The job of a started process: its pid is the infrastructure id; signals go to its group. */
export function launchedProcess(watched: WatchedProcess, start: JobStart): LaunchedJob {
  const { child } = watched;
  const pid = child.pid as number;
  // Until its output is drained, processes it started may still run in its group.
  let drained = false;
  void watched.exited.then(() => (drained = true));
  return {
    infrastructureId: String(pid),
    exited: watched.exited,
    start,
    signal(signal) {
      if (drained) return Promise.resolve();
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
  name: OutputStream,
  output: OutputSink,
): Promise<void> {
  if (!stream) return Promise.resolve();
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on("line", (line) => output(name, line));
  return new Promise((done) => lines.once("close", done));
}
