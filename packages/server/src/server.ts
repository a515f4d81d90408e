import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { createApp } from "./app.js";
import { prepareBlocks } from "./blocks/block-startup.js";
import { parseEncryptionKey, type EncryptionKey } from "./blocks/encryption/encryption-key.js";
import { loadKeyring, type KeyStorage } from "./blocks/encryption/load-keyring.js";
import { systemClock, type Clock } from "./clock.js";
import {
  ConfigError,
  loadServerConfig,
  loadServiceConfig,
  maskPassword,
  type ServerConfig,
  type ServerLogLevel,
} from "./config.js";
import { openDatabase, type Database, type DatabaseKind } from "./db/database.js";
import { migrateDatabase } from "./db/migrate.js";
import { LocalEventBus, type EventBus } from "./events/event-bus.js";
import { PgNotifyBus } from "./events/pg-notify-bus.js";
import { RedisEventBus } from "./events/redis-bus.js";
import { createLogger, type Logger } from "./logger.js";
import { backgroundServices, startServices, type BackgroundService } from "./services/index.js";

/** Options of startServer; each falls back to the SLUICE_* environment, then to its default. */
export interface StartServerOptions {
  /** Interface to listen on (default SLUICE_SERVER_HOST or 127.0.0.1). */
  host?: string;
  /** Port (default SLUICE_SERVER_PORT or 4200); 0 picks a free port. */
  port?: number;
  /** PostgreSQL URL (default SLUICE_DATABASE_URL; unset: PGlite). */
  databaseUrl?: string | undefined;
  /** Redis URL that carries server events between replicas (default SLUICE_REDIS_URL; unset: none). */
  redisUrl?: string | undefined;
  /** The Redis channel of those events (default "sluice:events"); tests give each run its own. */
  redisChannel?: string | undefined;
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
  /** Where log lines go (default stderr). */
  logWrite?: (line: string) => void;
  /** A key that authenticates with the admin scope and turns authentication on (default SLUICE_API_KEY). */
  apiKey?: string | undefined;
  /** The time source (default the system clock); tests inject their own. */
  clock?: Clock;
  /** What this process is, named in a PGlite data directory's lock file (default "sluice server"). */
  lockRole?: string | undefined;
  /** How long to wait for a `sluice db` command holding that lock (default 0; see DatabaseOptions). */
  lockWaitMs?: number | undefined;
  /** Block encryption key, base64 or hex (default SLUICE_ENCRYPTION_KEY; see loadKeyring for the fallbacks). */
  encryptionKey?: string;
  /** Decrypt-only keys (default SLUICE_ENCRYPTION_PREVIOUS_KEYS). */
  previousEncryptionKeys?: readonly string[];
  /** An already open database to serve (default: open one from the options); the caller closes it. */
  database?: Database;
  /**
   * Background services (zombie runs, cancellation cleanup, lease expiry, ...): true runs them,
   * false runs none (tests drive them with runService), an object runs them with other settings
   * (default SLUICE_SERVICES_ENABLED or true).
   */
  services?: boolean | ServicesOptions;
}

/** Settings of the background services for startServer. */
export interface ServicesOptions {
  /** Interval per service name, in ms (default each service's own). */
  intervalMs?: Record<string, number>;
  /** Seconds without a heartbeat before a RUNNING run is CRASHED (default SLUICE_ZOMBIE_WINDOW_SECONDS or 90). */
  zombieWindowSeconds?: number;
}

/** A listening server. */
export interface RunningServer {
  /** Base URL, for example http://127.0.0.1:4200. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly database: { readonly kind: DatabaseKind };
  /** Runs one pass of the named background service now (also when the services are off); resolves when done. */
  runService(name: string): Promise<void>;
  /** Stops accepting requests, ends open connections and closes the database it opened. */
  close(): Promise<void>;
}

/** Opens the database, migrates it (unless told not to) and serves the API over HTTP. */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const config = resolveConfig(options);
  const logger = createLogger(config.logLevel, options.logWrite);
  const ownsDatabase = options.database === undefined;
  // Before the database opens: a server that cannot encrypt must not start at all.
  const keyring = loadKeyring({ ...config, storage: keyStorage(config, options) }, logger);
  const database =
    options.database ??
    (await openDatabase({ ...config, lockRole: options.lockRole, lockWaitMs: options.lockWaitMs }));
  try {
    if (config.migrateOnStart) {
      const { applied } = await migrateDatabase(database);
      if (applied.length > 0) logger.info("applied migrations", { applied });
    }
    const clock = options.clock ?? systemClock;
    await prepareBlocks({ db: database, clock, keyring, logger });
    const events = await createEventBus(database, config, options.redisChannel, logger);
    const closing = new AbortController();
    const deps = {
      db: database,
      clock,
      logger,
      config,
      events,
      keyring,
      closing: closing.signal,
    };
    const app = createApp(deps);
    const server = await listen(app.fetch, config.host, config.port);
    const serviceSettings = resolveServices(options.services);
    const services = backgroundServices(serviceSettings);
    const running = serviceSettings.enabled ? startServices(deps, services) : undefined;
    const requests = trackRequests(server);
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
    logger.info("sluice server listening", { url, database: database.kind });
    return {
      url,
      host: config.host,
      port,
      database: { kind: database.kind },
      runService: async (name) => {
        if (running) return running.runNow(name);
        await findService(services, name).run(deps);
      },
      close: async () => {
        // Held claims answer at once instead of keeping the close waiting for their timeouts.
        closing.abort();
        await running?.stop();
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
    redisUrl: options.redisUrl ?? env.redisUrl,
    pgliteDataDir: options.pgliteDataDir ?? (options.home ? join(home, "db") : env.pgliteDataDir),
    host: options.host ?? env.host,
    port: options.port ?? env.port,
    migrateOnStart: options.migrateOnStart ?? env.migrateOnStart,
    logLevel: options.logLevel ?? (options.quiet ? "error" : env.logLevel),
    encryptionKey:
      options.encryptionKey === undefined
        ? env.encryptionKey
        : optionKey("encryptionKey", options.encryptionKey),
    previousEncryptionKeys:
      options.previousEncryptionKeys?.map((text) => optionKey("previousEncryptionKeys", text)) ??
      env.previousEncryptionKeys,
    apiKey: options.apiKey ?? env.apiKey,
  };
}

function optionKey(option: string, text: string): EncryptionKey {
  try {
    return parseEncryptionKey(text);
  } catch (error) {
    throw new ConfigError(`invalid option ${option}: ${(error as Error).message}`, [option]);
  }
}

/**
 * Where the data lives decides where the key may come from (see loadKeyring). A PGlite database
 * handed in by the caller keeps its key file in `home` only when `home` was given; otherwise its
 * blocks get a throwaway key (tests pass one of their own).
 */
function keyStorage(config: ServerConfig, options: StartServerOptions): KeyStorage {
  const { database } = options;
  if (database ? database.kind === "postgres" : config.databaseUrl !== undefined) return "postgres";
  if (database) return options.home === undefined ? "pglite-memory" : "pglite-file";
  return config.pgliteDataDir === "memory" ? "pglite-memory" : "pglite-file";
}

/**
 * Where server events travel between server processes: Redis when a URL is configured (any number of
 * replicas), else PostgreSQL LISTEN/NOTIFY, else (PGlite: one process) nowhere but this process.
 */
async function createEventBus(
  database: Database,
  config: ServerConfig,
  redisChannel: string | undefined,
  logger: Logger,
): Promise<EventBus> {
  if (config.redisUrl !== undefined) {
    const bus = new RedisEventBus({ url: config.redisUrl, channel: redisChannel, logger });
    await bus.start();
    logger.info("server events travel through Redis", { redis: maskPassword(config.redisUrl) });
    return bus;
  }
  if (database.kind !== "postgres") return new LocalEventBus();
  const url = config.databaseUrl;
  if (url === undefined) {
    logger.info("server events stay in this process: the PostgreSQL database was given without its URL");
    return new LocalEventBus();
  }
  const bus = new PgNotifyBus(url, database.db, logger);
  await bus.start();
  return bus;
}

function resolveServices(option: StartServerOptions["services"]) {
  const env = loadServiceConfig(process.env);
  const settings = typeof option === "object" ? option : {};
  return {
    enabled: option === undefined ? env.enabled : option !== false,
    zombieWindowSeconds: settings.zombieWindowSeconds ?? env.zombieWindowSeconds,
    ...(settings.intervalMs ? { intervalMs: settings.intervalMs } : {}),
  };
}

function findService(services: readonly BackgroundService[], name: string): BackgroundService {
  const service = services.find((s) => s.name === name);
  if (!service) throw new Error(`no background service named ${name}`);
  return service;
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
