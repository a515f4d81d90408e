import { createClient, type SluiceClient } from "@sluice/client";
import { flowRunPageUrl } from "@sluice/contracts";
import { nodeHttpFetch } from "./node-http-fetch.js";
import { join } from "node:path";
import { echoToStderr } from "../logging/run-logger.js";
import { storageFromRef } from "../storage/result-storage.js";
import type { ResultStore } from "../storage/storage.js";
import { getSdkSettings } from "../settings/sdk-settings.js";
import { startEphemeralServer } from "./ephemeral-server.js";
import { createSession, type Session } from "./session.js";

/** Options of `configureSdk`. */
export interface SdkConfig {
  /** The API to record runs in (default: SLUICE_API_URL, else a local server on :4200, else ephemeral). */
  apiUrl?: string;
  /** A ready client (takes precedence over apiUrl). */
  client?: SluiceClient;
  /** Where results and the cache index go (default: SLUICE_RESULT_STORAGE, else `${SLUICE_HOME}/storage`). */
  resultStore?: ResultStore;
  /** Seconds between flow-run heartbeats (default SLUICE_HEARTBEAT_SECONDS, else 5). */
  heartbeatSeconds?: number;
}

/** The local server `sluice server start` runs. */
const LOCAL_SERVER_URL = "http://127.0.0.1:4200";

let config: SdkConfig = {};
let shared: Promise<Session> | undefined;

/** Sets where the SDK records runs; replaces any previous configuration (call `closeSdk` first to flush). */
export function configureSdk(options: SdkConfig = {}): void {
  config = { ...options };
  shared = undefined;
}

/** Flushes everything queued and closes the SDK's connection; the next run connects again. */
export async function closeSdk(): Promise<void> {
  const current = shared;
  shared = undefined;
  if (current) await (await current).close();
}

/** Seconds between flow-run heartbeats. */
export function getHeartbeatSeconds(): number {
  return config.heartbeatSeconds ?? getSdkSettings().heartbeatSeconds;
}

function defaultResultStore(client: SluiceClient): ResultStore {
  return config.resultStore ?? storageFromRef(getSdkSettings().resultStorage, client);
}

function sessionFor(client: SluiceClient): Session {
  return createSession(client, defaultResultStore(client));
}

function clientFor(baseUrl: string): SluiceClient {
  return createClient({ baseUrl, apiKey: getSdkSettings().apiKey, fetch: nodeHttpFetch });
}

async function localServerAnswers(): Promise<boolean> {
  try {
    const response = await fetch(`${LOCAL_SERVER_URL}/api/health`, { signal: AbortSignal.timeout(300) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

interface EphemeralEntry {
  session: Promise<Session>;
  users: number;
}

let ephemeral: EphemeralEntry | undefined;
let probing: Promise<boolean> | undefined;

const keepOpen = () => Promise.resolve();

/** The current connections, read afresh (module state can change across an await). */
function current(): { shared: Promise<Session> | undefined; ephemeral: EphemeralEntry | undefined } {
  return { shared, ephemeral };
}

function useEphemeral(entry: EphemeralEntry): Promise<{ session: Session; release: () => Promise<void> }> {
  entry.users++;
  const release = async () => {
    if (--entry.users > 0) return;
    if (ephemeral === entry) ephemeral = undefined;
    await (await entry.session).close();
  };
  return entry.session.then(
    (session) => ({ session, release }),
    (error: unknown) => {
      entry.users--;
      if (ephemeral === entry) ephemeral = undefined;
      throw error;
    },
  );
}

/**
 * A session for a top-level flow run. Configured or discovered servers share one session for the
 * process. Ephemeral mode starts one temporary server, shared by the top-level runs active at the
 * same time and closed by the last one's `release`.
 */
export async function acquireSession(): Promise<{ session: Session; release: () => Promise<void> }> {
  if (shared) return { session: await shared, release: keepOpen };
  if (ephemeral) return useEphemeral(ephemeral);
  const settings = getSdkSettings();
  const url = config.client ? undefined : (config.apiUrl ?? settings.apiUrl);
  if (config.client || url) {
    shared = Promise.resolve(sessionFor(config.client ?? clientFor(url!)));
    return { session: await shared, release: keepOpen };
  }
  // Concurrent first runs share one probe, so they agree on where to record.
  probing ??= localServerAnswers().finally(() => (probing = undefined));
  const local = await probing;
  // Another run may have connected while this one waited for the probe.
  const connected = current();
  if (connected.shared) return { session: await connected.shared, release: keepOpen };
  if (connected.ephemeral) return useEphemeral(connected.ephemeral);
  if (local) {
    shared = Promise.resolve(sessionFor(clientFor(LOCAL_SERVER_URL)));
    return { session: await shared, release: keepOpen };
  }
  ephemeral = {
    users: 0,
    session: startEphemeralServer(settings.home).then((server) => {
      const client = clientFor(server.url);
      return createSession(client, defaultResultStore(client), {
        ephemeral: true,
        onClose: () => server.close(),
      });
    }),
  };
  return useEphemeral(ephemeral);
}

/** Tells the user where an ephemeral run can be seen after the process exits. */
export function printEphemeralHint(flowRunId: string): void {
  echoToStderr(
    20,
    "sluice",
    `This run was recorded by a temporary server in ${join(getSdkSettings().home, "db")}. To see it: ` +
      `run \`sluice server start\` and open ${flowRunPageUrl(LOCAL_SERVER_URL, flowRunId)}, ` +
      `or run \`sluice flow-run inspect ${flowRunId}\`.`,
  );
}
