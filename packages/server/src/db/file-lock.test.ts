import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { acquireFileLock, DatabaseLockedError, readLockHolder } from "./file-lock.js";

const dir = mkdtempSync(join(tmpdir(), "sluice-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("PGlite data directory lock", () => {
  it("lets one holder in, names it to others, and frees it on release", async () => {
    const path = join(dir, "db.lock");
    const lock = await acquireFileLock(path, "sluice server", 0);
    expect(readLockHolder(path)).toEqual({ pid: process.pid, role: "sluice server" });
    await expect(acquireFileLock(path, "other", 0)).rejects.toThrow(`pid ${process.pid}, sluice server`);
    // A holder others should not wait for fails them at once, whatever the wait.
    await expect(acquireFileLock(path, "other", 60_000, () => false)).rejects.toBeInstanceOf(
      DatabaseLockedError,
    );
    lock.release();
    (await acquireFileLock(path, "next", 0)).release();
  });

  it("takes over a lock left by a process that is gone", async () => {
    const path = join(dir, "stale.lock");
    writeFileSync(path, "999999999 sluice server");
    const lock = await acquireFileLock(path, "fresh", 0);
    expect(readLockHolder(path)?.role).toBe("fresh");
    lock.release();
  });
});
