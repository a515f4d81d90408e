import { mkdirSync, openSync, closeSync, readFileSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { CliError } from "./errors.js";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes the lock file when the process that wrote it is gone. */
function clearStale(path: string): void {
  try {
    const pid = Number(readFileSync(path, "utf8").trim());
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) rmSync(path, { force: true });
  } catch {
    // Vanished or half-written: the next attempt decides.
    return;
  }
}

/**
 * Runs `work` holding an exclusive lock file (created with O_EXCL, holding our pid). Another holder makes
 * us wait up to `timeoutMs`; a lock left by a dead process is taken over. PGlite has no cross-process
 * locking, so two `db upgrade`s on one data directory must not open it at the same time.
 */
export async function withFileLock<T>(path: string, work: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let fd: number | undefined;
  while (fd === undefined) {
    try {
      fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      clearStale(path);
      if (Date.now() > deadline)
        throw new CliError(`timed out waiting for the lock ${path} held by another process`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await work();
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
}
