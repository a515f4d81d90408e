import type { RunningServer, StartServerOptions } from "@sluice/server";

/**
 * Starts `@sluice/server` in this process under `role`. On PGlite the server takes the data directory's
 * lock: it waits up to `waitMs` for a `sluice db` command holding it, and fails at once (naming the
 * holder) when a server or a run holds it. The lock is released when the server closes or the process exits.
 */
export async function startLocalServer(
  options: StartServerOptions,
  role: string,
  waitMs: number,
): Promise<RunningServer> {
  const { startServer } = await import("@sluice/server");
  return startServer({ ...options, lockRole: role, lockWaitMs: waitMs });
}
