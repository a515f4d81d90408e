import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/** Who holds a lock: a process id and what it is doing ("sluice server", "sluice db command", ...). */
export interface LockHolder {
  readonly pid: number;
  readonly role: string;
}

/**
 * Another live process holds the lock on a PGlite data directory. PGlite allows one process per
 * directory (two corrupt it), so the second one fails with this instead of opening it.
 */
export class DatabaseLockedError extends Error {
  override readonly name = "DatabaseLockedError";

  constructor(
    readonly holder: LockHolder,
    readonly lockPath: string,
  ) {
    super(
      `the database is in use by another process (pid ${holder.pid}, ${holder.role}; lock ${lockPath}). ` +
        "PGlite allows one process per data directory: stop that process, or talk to it through SLUICE_API_URL.",
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The live holder of the lock at `path`; a lock left by a dead process is removed. */
export function readLockHolder(path: string): LockHolder | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  const [pidText, ...role] = text.trim().split(" ");
  const pid = Number(pidText);
  // A half-written file (no pid yet) belongs to a process that is creating it right now.
  if (!Number.isInteger(pid) || pid <= 0) return { pid: 0, role: "starting" };
  if (isAlive(pid)) return { pid, role: role.join(" ") || "unknown" };
  rmSync(path, { force: true });
  return undefined;
}

/** A held lock; `release` removes it (once). */
export interface HeldLock {
  release(): void;
}

/**
 * Takes the exclusive lock file at `path` (created with O_EXCL, holding "pid role"), waiting up to
 * `waitMs` while another live process holds it, and throws DatabaseLockedError after that. A lock left
 * by a dead process is taken over.
 */
export async function acquireFileLock(
  path: string,
  role: string,
  waitMs: number,
  /** Wait only for holders this accepts (default all); others fail at once. */
  shouldWait: (holder: LockHolder) => boolean = () => true,
): Promise<HeldLock> {
  mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, `${process.pid} ${role}`);
      closeSync(fd);
      let held = true;
      return {
        release() {
          if (held) rmSync(path, { force: true });
          held = false;
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = readLockHolder(path);
    if (holder && (Date.now() >= deadline || !shouldWait(holder))) {
      throw new DatabaseLockedError(holder, path);
    }
    if (holder) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The role `sluice db upgrade|reset` hold the lock under. Such holders are short-lived, so an opener
 * given a wait (DatabaseOptions.lockWaitMs) waits for them; any other holder keeps the database until
 * stopped, so openers fail at once.
 */
export const DB_COMMAND_ROLE = "sluice db command";

/** The role openDatabase takes the lock under when not told one. */
export const DEFAULT_LOCK_ROLE = "sluice server";

/** The lock file guarding a PGlite data directory. */
export function pgliteLockPath(pgliteDataDir: string): string {
  return `${pgliteDataDir}.lock`;
}
