/** A real Sluice server for the worker's tests (PGlite in memory, or SLUICE_TEST_DATABASE_URL). */
export interface WorkerTestServer {
  url: string;
  close(): Promise<void>;
}

interface TestServerModule {
  startTestServer: () => Promise<WorkerTestServer>;
}

/**
 * Starts a test server. The worker's code never imports the server; its tests load it by a dynamic
 * import (a dev dependency), as the SDK's tests do.
 */
export async function startWorkerTestServer(): Promise<WorkerTestServer> {
  const specifier = "@sluice/server";
  const { startTestServer } = (await import(specifier)) as TestServerModule;
  return startTestServer();
}
