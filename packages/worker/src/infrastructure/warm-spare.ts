import { statSync } from "node:fs";
import { dirname, join } from "node:path";
import { spawnWatched, type WatchedProcess } from "./child-process.js";

/**
 * The argument that makes `sluice flow-run execute` wait as a warm spare instead of naming a run:
 * it starts node, loads its modules, the TypeScript loader and the SDK, then reads one line of JSON,
 * a WarmHandoff, from stdin (see the CLI's flow-run-execute.ts, which reads it).
 */
export const WARM_SPARE_FLAG = "--warm-spare";

/** What a warm spare is handed: the run, and what a cold start would have given its process. */
export interface WarmHandoff {
  flowRunId: string;
  /** The job's working directory, to chdir into before the flow file is imported. */
  cwd: string;
  /** The job's environment, set in process.env over the worker's (which the spare inherited). */
  env: Record<string, string>;
}

/**
 * Variables node or the TypeScript loader read at startup, before a spare is handed its run: a job
 * that sets one differently starts cold, so it gets what it asked for.
 */
const STARTUP_VARIABLE = /^(NODE_|TSX_|UV_)/;
/** Spares that exit before being handed a run, in a row, after which warm start is turned off. */
const MAX_EARLY_EXITS = 3;

/**
 * The tsconfig.json the TypeScript loader uses for a directory: the nearest one up the tree (tsx
 * looks it up from the cwd once, when registered). A run may use a spare only when it would find
 * the same one, since it decides how the flow's files compile (paths, decorators, JSX).
 */
export function nearestTsconfig(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const candidate = join(current, "tsconfig.json");
    if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
    if (dirname(current) === current) return undefined;
  }
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

interface Spare {
  watched: WatchedProcess;
  cwd: string;
  tsconfig: string | undefined;
  env: NodeJS.ProcessEnv;
}

/** What take() answers: the spare's process, handed the run, or why the run must start cold. */
export type SpareTake = { process: WatchedProcess } | { reason: string };

/**
 * Keeps one idle flow-run process started, waiting on its stdin for a run. It holds nothing of any
 * run until handed one; it exits on its own when its stdin closes (the worker died), and close()
 * stops it. It is started in the directory of the last run, so a worker serving one project keeps
 * finding a spare that fits.
 */
export class WarmSpares {
  private spare: Spare | undefined;
  private earlyExits = 0;
  private off: string | undefined;

  constructor(
    private readonly command: readonly string[],
    private readonly warn: (message: string) => void,
  ) {}

  /** Starts a spare in `cwd` unless one is ready (or warm start is off). */
  prepare(cwd: string): void {
    if (this.off !== undefined || this.spare) return;
    const env = { ...process.env };
    let watched: WatchedProcess;
    try {
      watched = spawnWatched([...this.command, WARM_SPARE_FLAG], cwd, env, "pipe");
    } catch (error) {
      this.turnOff(`the warm flow-run process could not start: ${(error as Error).message}`);
      return;
    }
    const spare: Spare = { watched, cwd, tsconfig: nearestTsconfig(cwd), env };
    this.spare = spare;
    watched.child.stdin?.on("error", (error) => {
      // The spare is gone; its exit says why (and a run handed to it is marked CRASHED).
      this.warn(`could not write to the warm flow-run process: ${error.message}`);
    });
    watched.child.once("error", (error) => this.lost(spare, `could not start: ${error.message}`));
    watched.child.once("exit", (code, signal) =>
      this.lost(spare, signal ? `was killed by ${signal}` : `exited with code ${code}`),
    );
  }

  /**
   * Hands the run to the spare when it fits (then starts the next spare in the run's directory), or
   * says why the run starts cold.
   */
  take(handoff: WarmHandoff): SpareTake {
    if (this.off !== undefined) return { reason: this.off };
    const spare = this.spare;
    // No pid yet: its spawn failed, and the error event has not come yet.
    if (!spare || spare.watched.ended || spare.watched.child.pid === undefined) {
      this.prepare(handoff.cwd);
      return { reason: "no warm process was ready" };
    }
    const misfit = this.misfit(spare, handoff);
    if (misfit) {
      // The next run is more likely like this one than like the last: replace the spare.
      this.discard();
      this.prepare(handoff.cwd);
      return { reason: misfit };
    }
    this.spare = undefined;
    this.earlyExits = 0;
    spare.watched.child.stdin?.end(`${JSON.stringify(handoff)}\n`);
    this.prepare(handoff.cwd);
    return { process: spare.watched };
  }

  /** Stops the spare; no other is started. */
  close(): void {
    this.off = "the worker is stopping";
    this.discard();
  }

  private discard(): void {
    const spare = this.spare;
    this.spare = undefined;
    if (!spare || spare.watched.ended) return;
    // Closing its stdin is enough for a spare; the signal covers one stuck in its startup.
    spare.watched.child.stdin?.end();
    spare.watched.child.kill("SIGTERM");
  }

  private misfit(spare: Spare, handoff: WarmHandoff): string | undefined {
    if (!isDirectory(handoff.cwd)) return `its working directory ${handoff.cwd} is not a directory`;
    const tsconfig = nearestTsconfig(handoff.cwd);
    if (tsconfig !== spare.tsconfig) {
      return `its directory uses ${tsconfig ?? "no tsconfig.json"}, the warm process ${spare.tsconfig ?? "none"}`;
    }
    const startup = Object.keys(handoff.env).find(
      (name) => STARTUP_VARIABLE.test(name) && handoff.env[name] !== spare.env[name],
    );
    return startup && `its job sets ${startup}, which is read when node starts`;
  }

  /** A spare that ended before being handed a run: said once, and after a few, warm start is off. */
  private lost(spare: Spare, how: string): void {
    if (this.spare !== spare) return; // handed a run (its job reports its exit), or replaced
    this.spare = undefined;
    const tail = spare.watched.earlyLines().slice(-5).join("\n");
    this.warn(`the warm flow-run process ${how} before it was handed a run${tail ? `:\n${tail}` : ""}`);
    if (++this.earlyExits >= MAX_EARLY_EXITS) {
      this.turnOff(`${MAX_EARLY_EXITS} warm flow-run processes in a row ended before being handed a run`);
    }
  }

  private turnOff(reason: string): void {
    this.warn(`${reason}: flow runs start cold from now on`);
    this.off = `warm start is off (${reason})`;
  }
}
