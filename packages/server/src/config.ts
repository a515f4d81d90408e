import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import {
  InvalidEncryptionKeyError,
  parseEncryptionKey,
  parseEncryptionKeyList,
  type EncryptionKey,
} from "./blocks/encryption/encryption-key.js";

/** Log levels the server understands, quietest last. */
export const ServerLogLevel = z.enum(["debug", "info", "warn", "error", "silent"]);
export type ServerLogLevel = z.infer<typeof ServerLogLevel>;

const booleanFromEnv = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "expected true or false" })
  .transform((value) => value === "true" || value === "1" || value === "yes");

/** The server's settings, read once from SLUICE_* environment variables. */
export const ServerConfigSchema = z.object({
  /** Data directory (default ~/.sluice). */
  SLUICE_HOME: z.string().min(1).optional(),
  /** PostgreSQL URL; unset: PGlite in `${SLUICE_HOME}/db`. */
  SLUICE_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "expected a postgres:// or postgresql:// URL")
    .optional(),
  /** Redis URL; set, server events reach every replica through Redis (default unset). */
  SLUICE_REDIS_URL: z
    .string()
    .refine(isRedisUrl, "expected a redis:// or rediss:// URL such as redis://127.0.0.1:6379")
    .optional(),
  /** Interface to listen on (default 127.0.0.1). */
  SLUICE_SERVER_HOST: z.string().min(1).default("127.0.0.1"),
  /** Port to listen on (default 4200; 0 picks a free port). */
  SLUICE_SERVER_PORT: z.coerce.number().int().min(0).max(65_535).default(4200),
  /** Apply pending migrations when the server starts (default true). */
  SLUICE_MIGRATE_ON_START: booleanFromEnv.default(true),
  /** Server log level (default info). */
  SLUICE_LOG_LEVEL: z
    .string()
    .transform((v) => {
      // Flows read the same variable with Python-style names (WARNING, CRITICAL); accept those too.
      const name = v.trim().toLowerCase();
      return name === "warning" ? "warn" : name === "critical" ? "error" : name;
    })
    .pipe(ServerLogLevel)
    .default("info"),
  /** Block encryption key: 32 bytes as base64 or 64 hex characters (required with PostgreSQL). */
  SLUICE_ENCRYPTION_KEY: z.string().optional(),
  /** Comma-separated older keys, decrypt only (kept while a rotation reaches every server). */
  SLUICE_ENCRYPTION_PREVIOUS_KEYS: z.string().optional(),
  /** A key that authenticates with the admin scope; set, every route but the probes needs a key (default unset). */
  SLUICE_API_KEY: z
    .string()
    .min(16, "use at least 16 characters (`openssl rand -hex 32` makes a good key)")
    .optional(),
});

/** Settings whose values never appear in error messages. */
const SECRET_VARIABLES = new Set([
  "SLUICE_ENCRYPTION_KEY",
  "SLUICE_ENCRYPTION_PREVIOUS_KEYS",
  "SLUICE_API_KEY",
]);

/** Settings that are URLs whose password is masked in error messages. */
const URL_VARIABLES = new Set(["SLUICE_DATABASE_URL", "SLUICE_REDIS_URL"]);

/** Effective server configuration. */
export interface ServerConfig {
  /** Data directory. */
  readonly home: string;
  /** PostgreSQL URL, or undefined for PGlite. */
  readonly databaseUrl: string | undefined;
  /** Redis URL (SLUICE_REDIS_URL) that carries server events between replicas, or undefined. */
  readonly redisUrl: string | undefined;
  /** PGlite data directory (`${home}/db`), or "memory" for an in-memory database. */
  readonly pgliteDataDir: string;
  readonly host: string;
  readonly port: number;
  readonly migrateOnStart: boolean;
  readonly logLevel: ServerLogLevel;
  /** SLUICE_ENCRYPTION_KEY, or undefined (an embedded server then uses `${home}/encryption.key`). */
  readonly encryptionKey: EncryptionKey | undefined;
  /** SLUICE_ENCRYPTION_PREVIOUS_KEYS: decrypt-only keys (default none). */
  readonly previousEncryptionKeys: readonly EncryptionKey[];
  /** The server's own admin key (SLUICE_API_KEY), or undefined. Never log it. */
  readonly apiKey: string | undefined;
}

/** Thrown when an environment variable holds a bad value; the message names the variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    message: string,
    readonly variables: readonly string[],
  ) {
    super(message);
  }
}

/** Reads and validates the server settings from `env` (default process.env). */
export function loadServerConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = ServerConfigSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? "environment");
      // A secret's value is never repeated back, not even a wrong one.
      const value = present[variable] ?? "";
      const shown = SECRET_VARIABLES.has(variable)
        ? "(hidden)"
        : JSON.stringify(URL_VARIABLES.has(variable) ? maskPassword(value) : value);
      return { variable, text: `${variable}=${shown}: ${issue.message}` };
    });
    throw new ConfigError(
      `invalid server configuration: ${problems.map((p) => p.text).join("; ")}`,
      problems.map((p) => p.variable),
    );
  }
  const values = parsed.data;
  const home = expandHome(values.SLUICE_HOME ?? join(homedir(), ".sluice"));
  return {
    home,
    databaseUrl: values.SLUICE_DATABASE_URL,
    redisUrl: values.SLUICE_REDIS_URL,
    pgliteDataDir: join(home, "db"),
    host: values.SLUICE_SERVER_HOST,
    port: values.SLUICE_SERVER_PORT,
    migrateOnStart: values.SLUICE_MIGRATE_ON_START,
    logLevel: values.SLUICE_LOG_LEVEL,
    encryptionKey: readKey("SLUICE_ENCRYPTION_KEY", values.SLUICE_ENCRYPTION_KEY, parseEncryptionKey),
    previousEncryptionKeys:
      readKey(
        "SLUICE_ENCRYPTION_PREVIOUS_KEYS",
        values.SLUICE_ENCRYPTION_PREVIOUS_KEYS,
        parseEncryptionKeyList,
      ) ?? [],
    apiKey: values.SLUICE_API_KEY,
  };
}

/** Parses a key setting; the error names the variable and never repeats its value. */
function readKey<T>(variable: string, text: string | undefined, parse: (text: string) => T): T | undefined {
  if (text === undefined) return undefined;
  try {
    return parse(text);
  } catch (error) {
    if (!(error instanceof InvalidEncryptionKeyError)) throw error;
    throw new ConfigError(`invalid server configuration: ${variable}: ${error.message}`, [variable]);
  }
}

/** True for a URL Redis clients accept: redis:// or rediss://, with a host. */
function isRedisUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "redis:" || url.protocol === "rediss:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** The URL with its password replaced by "***" (a malformed URL: everything after "://" up to "@"). */
export function maskPassword(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, "$1***@");
}

function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path;
}

/** Settings of the background services, read from SLUICE_* variables. */
export const ServiceConfigSchema = z.object({
  /** Run the background services (default true). */
  SLUICE_SERVICES_ENABLED: booleanFromEnv.default(true),
  /** Seconds without a heartbeat before a RUNNING flow run is CRASHED (default 90). */
  SLUICE_ZOMBIE_WINDOW_SECONDS: z.coerce.number().int().min(10).max(86_400).default(90),
});

/** Effective background-service settings. */
export interface ServiceConfig {
  readonly enabled: boolean;
  readonly zombieWindowSeconds: number;
}

/** Reads and validates the background-service settings from `env` (default process.env). */
export function loadServiceConfig(env: Record<string, string | undefined> = process.env): ServiceConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = ServiceConfigSchema.safeParse(present);
  if (!parsed.success) {
    const variables = parsed.error.issues.map((issue) => String(issue.path[0] ?? "environment"));
    const text = parsed.error.issues
      .map(
        (issue, i) =>
          `${variables[i]}=${JSON.stringify(present[variables[i] ?? ""] ?? "")}: ${issue.message}`,
      )
      .join("; ");
    throw new ConfigError(`invalid server configuration: ${text}`, variables);
  }
  return {
    enabled: parsed.data.SLUICE_SERVICES_ENABLED,
    zombieWindowSeconds: parsed.data.SLUICE_ZOMBIE_WINDOW_SECONDS,
  };
}
