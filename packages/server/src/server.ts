import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { createApp } from "./app.js";
import { systemClock, type Clock } from "./clock.js";
import { loadServerConfig, type ServerConfig, type ServerLogLevel } from "./config.js";
import { openDatabase, type Database, type DatabaseKind } from "./db/database.js";
import { migrateDatabase } from "./db/migrate.js";
import { LocalEventBus } from "./events/event-bus.js";
import { createLogger } from "./logger.js";

/** Options of startServer; each falls back to the SLUICE_* environment, then to its default. */
export interface StartServerOptions {
  /** Interface to listen on (default SLUICE_SERVER_HOST or 127.0.0.1). */
  host?: string;
  /** Port (default SLUICE_SERVER_PORT or 4200); 0 picks a free port. */
  port?: number;
  /** PostgreSQL URL (default SLUICE_DATABASE_URL; unset: PGlite). */
  databaseUrl?: string | undefined;
  /** Data directory (default SLUICE_HOME or ~/.sluice). */
  home?: string;
  /** PGlite data directory or "memory" (default `${home}/db`). */
  pgliteDataDir?: string | undefined;
  /** Apply pending migrations first (default SLUICE_MIGRATE_ON_START or true). */
  migrateOnStart?: boolean;
  /** Log level (default SLUICE_LOG_LEVEL or info; "error" when quiet). */
  logLevel?: ServerLogLevel;
  /** Log only errors (default false). */
  quiet?: boolean;
  /** The time source (default the system clock); tests inject their own. */
  clock?: Clock;
  /** What this process is, named in a PGlite data directory's lock file (default "sluice server"). */
  lockRole?: string | undefined;
  /** How long to wait for a `sluice db` command holding that lock (default 0; see DatabaseOptions). */
  lockWaitMs?: number | undefined;
  /** An already open database to serve (default: open one from the options); the caller closes it. */
  database?: Database;
}

/** A listening server. */
export interface RunningServer {
  /** Base URL, for example http://127.0.0.1:4200. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly database: { readonly kind: DatabaseKind };
  /** Stops accepting requests, ends open connections and closes the database it opened. */
  close(): Promise<void>;
}

/** Opens the database, migrates it (unless told not to) and serves the API over HTTP. */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const config = resolveConfig(options);
  const logger = createLogger(config.logLevel);
  const ownsDatabase = options.database === undefined;
  const database =
    options.database ??
    (await openDatabase({ ...config, lockRole: options.lockRole, lockWaitMs: options.lockWaitMs }));
  try {
    if (config.migrateOnStart) {
      const { applied } = await migrateDatabase(database);
      if (applied.length > 0) logger.info("applied migrations", { applied });
    }
    const events = new LocalEventBus();
    const app = createApp({ db: database, clock: options.clock ?? systemClock, logger, config, events });
    const server = await listen(app.fetch, config.host, config.port);
    const requests = trackRequests(server);
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
    logger.info("sluice server listening", { url, database: database.kind });
    return {
      url,
      host: config.host,
      port,
      database: { kind: database.kind },
      close: async () => {
        await closeHttpServer(server, requests);
        await events.close();
        if (ownsDatabase) await database.close();
      },
    };
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }
}

function resolveConfig(options: StartServerOptions): ServerConfig {
  const env = loadServerConfig(process.env);
  const home = options.home ?? env.home;
  return {
    home,
    databaseUrl: options.databaseUrl ?? env.databaseUrl,
    pgliteDataDir: options.pgliteDataDir ?? (options.home ? join(home, "db") : env.pgliteDataDir),
    host: options.host ?? env.host,
    port: options.port ?? env.port,
    migrateOnStart: options.migrateOnStart ?? env.migrateOnStart,
    logLevel: options.logLevel ?? (options.quiet ? "error" : env.logLevel),
  };
}

function listen(fetch: (request: Request) => Response | Promise<Response>, hostname: string, port: number) {
  return new Promise<ServerType>((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server));
    server.once("error", reject);
  });
}

/** Counts requests until their responses are fully sent, so closing can let them finish first. */
function trackRequests(server: ServerType) {
  let active = 0;
  let onIdle: (() => void) | undefined;
  server.on("request", (_request: IncomingMessage, response: ServerResponse) => {
    active += 1;
    response.once("close", () => {
      active -= 1;
      if (active === 0) onIdle?.();
    });
  });
  return {
    /** Resolves when no request is being handled, or after `timeoutMs`. */
    idle: (timeoutMs: number) =>
      new Promise<void>((resolve) => {
        if (active === 0) return resolve();
        const timer = setTimeout(resolve, timeoutMs);
        onIdle = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
  };
}

/** How long closing waits for requests in progress before cutting their connections. */
const CLOSE_GRACE_MS = 10_000;

/** Stops accepting connections, lets requests in progress finish (up to a grace period), then ends all. */
async function closeHttpServer(
  server: ServerType,
  requests: ReturnType<typeof trackRequests>,
): Promise<void> {
  const closed = new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
  });
  if ("closeIdleConnections" in server) server.closeIdleConnections();
  await requests.idle(CLOSE_GRACE_MS);
  if ("closeAllConnections" in server) server.closeAllConnections();
  await closed;
}
