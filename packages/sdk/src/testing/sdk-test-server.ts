import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type SluiceClient } from "@sluice/client";
import { configureSdk, closeSdk } from "../api-connection/connection.js";
import { LocalStorage } from "../storage/local-storage.js";

/** A real Sluice server for SDK tests, with the SDK configured to record into it. */
export interface SdkTestContext {
  url: string;
  client: SluiceClient;
  resultStore: LocalStorage;
  home: string;
  close(): Promise<void>;
}

interface TestServerModule {
  startTestServer: () => Promise<{ url: string; close(): Promise<void> }>;
}

/** Starts a test server (PGlite in memory) and points the SDK at it, with a 100 ms heartbeat. */
export async function startSdkTestServer(): Promise<SdkTestContext> {
  const home = mkdtempSync(join(tmpdir(), "sluice-sdk-"));
  // Tests may import the server; the SDK's own code only loads it dynamically (ephemeral mode).
  const specifier = "@sluice/server";
  const { startTestServer } = (await import(specifier)) as TestServerModule;
  const server = await startTestServer();
  const resultStore = new LocalStorage(join(home, "storage"));
  configureSdk({ apiUrl: server.url, resultStore, heartbeatSeconds: 0.1 });
  return {
    url: server.url,
    client: createClient({ baseUrl: server.url }),
    resultStore,
    home,
    async close() {
      await closeSdk();
      await server.close();
    },
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
