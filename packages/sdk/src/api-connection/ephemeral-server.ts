import { echoToStderr } from "../logging/run-logger.js";

/** A server started in this process for one run. */
export interface EphemeralServer {
  url: string;
  close(): Promise<void>;
}

interface StartServer {
  startServer(options: Record<string, unknown>): Promise<{ url: string; close(): Promise<void> }>;
}

/**
 * Starts a temporary embedded Sluice server on PGlite in `${home}/db`, on a random local port. It holds
 * the data directory's lock file until closed.
 * @sluice/server is an optional peer dependency, loaded only here (docs/decisions/0003).
 */
export async function startEphemeralServer(home: string): Promise<EphemeralServer> {
  let server: StartServer;
  try {
    const specifier = "@sluice/server";
    server = (await import(specifier)) as StartServer;
  } catch (error) {
    throw new Error(
      "No Sluice server to record this run: set SLUICE_API_URL, start one with `sluice server start`, " +
        "or install @sluice/server for ephemeral mode.",
      { cause: error },
    );
  }
  echoToStderr(20, "sluice", "No server found; starting a temporary one in this process (ephemeral mode).");
  const started = await server.startServer({
    host: "127.0.0.1",
    port: 0,
    // The server keeps its PGlite database in `${home}/db`, where `sluice server start` finds it later.
    home,
    quiet: true,
    // PGlite allows one process per data directory: the server locks it under this role, and fails
    // at once, naming the holder, when another process holds it.
    lockRole: "sluice ephemeral server (a flow run)",
  });
  return { url: started.url, close: () => started.close() };
}
