import type { RunningServer, StartServerOptions } from "@sluice/server";
import { acquireFileLock, DB_COMMAND_ROLE, pgliteLockPath } from "./file-lock.js";

/**
 * Starts `@sluice/server` in this process. On PGlite it first takes the data directory's lock file
 * (waiting up to `waitMs` for another holder), and releases it when the server closes or the process exits.
 */
export async function startLocalServer(
  options: StartServerOptions,
  role: string,
  waitMs: number,
): Promise<RunningServer> {
  const { loadServerConfig, startServer } = await import("@sluice/server");
  const config = loadServerConfig(process.env);
  const databaseUrl = options.databaseUrl ?? config.databaseUrl;
  const dataDir =
    options.pgliteDataDir ?? (options.home !== undefined ? `${options.home}/db` : config.pgliteDataDir);
  if (databaseUrl || dataDir === "memory") return startServer(options);
  // Wait for a db command to finish; a server or a run holds the database until stopped.
  const lock = await acquireFileLock(
    pgliteLockPath(dataDir),
    role,
    waitMs,
    (h) => h.role === DB_COMMAND_ROLE,
  );
  const onExit = () => lock.release();
  process.once("exit", onExit);
  try {
    const server = await startServer(options);
    return {
      ...server,
      close: async () => {
        try {
          await server.close();
        } finally {
          lock.release();
          process.off("exit", onExit);
        }
      },
    };
  } catch (error) {
    lock.release();
    process.off("exit", onExit);
    throw error;
  }
}
