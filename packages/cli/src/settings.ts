import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { parseEnv } from "node:util";

/** The mask shown in place of a secret. */
export const MASK = "********";

/** A SLUICE_* setting the CLI knows: what it does, its default, and whether it is secret. */
export interface SettingDef {
  name: string;
  description: string;
  /** "value": the whole value is secret; "url": only a URL's password is. */
  secret?: "value" | "url";
  /** The default, or a note on what happens when unset. */
  fallback: string;
}

/** Default API address when SLUICE_API_URL is unset. */
export const DEFAULT_API_URL = "http://127.0.0.1:4200";

/** The data directory: SLUICE_HOME, default ~/.sluice. */
export function sluiceHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.SLUICE_HOME ?? join(homedir(), ".sluice"));
}

/** The settings `config view` always lists, in this order. */
export const SETTINGS: readonly SettingDef[] = [
  {
    name: "SLUICE_API_URL",
    description: "Where the CLI and SDK reach the server (several replicas: comma-separated)",
    fallback: DEFAULT_API_URL,
  },
  {
    name: "SLUICE_API_KEY",
    description: "API key sent as a bearer token",
    secret: "value",
    fallback: "(none)",
  },
  {
    name: "SLUICE_HOME",
    description: "Data directory (PGlite database, results, keys)",
    fallback: "~/.sluice",
  },
  {
    name: "SLUICE_DATABASE_URL",
    description: "PostgreSQL URL",
    secret: "url",
    fallback: "(unset: PGlite in SLUICE_HOME)",
  },
  {
    name: "SLUICE_REDIS_URL",
    description: "Redis URL for events",
    secret: "url",
    fallback: "(unset: in process)",
  },
  {
    name: "SLUICE_ENCRYPTION_KEY",
    description: "Key encrypting block documents",
    secret: "value",
    fallback: "(unset: key file in SLUICE_HOME)",
  },
  {
    name: "SLUICE_ENCRYPTION_PREVIOUS_KEYS",
    description: "Older keys, decrypt only, kept during a key rotation",
    secret: "value",
    fallback: "(none)",
  },
  { name: "SLUICE_SERVER_HOST", description: "Address the server listens on", fallback: "127.0.0.1" },
  { name: "SLUICE_SERVER_PORT", description: "Port the server listens on", fallback: "4200" },
  {
    name: "SLUICE_MIGRATE_ON_START",
    description: "Apply migrations when the server starts",
    fallback: "true",
  },
  { name: "SLUICE_LOG_LEVEL", description: "Log level of the server and of runs", fallback: "info" },
  {
    name: "SLUICE_TASK_CONCURRENCY",
    description: "Most tasks running at once in a flow run",
    fallback: "64",
  },
  {
    name: "SLUICE_HEARTBEAT_SECONDS",
    description: "Seconds between a flow run's heartbeats",
    fallback: "5",
  },
  {
    name: "SLUICE_RESULT_STORAGE",
    description: "Where flows keep results: local, or a block s3-bucket/NAME or local-file-system/NAME",
    fallback: "local",
  },
  {
    name: "SLUICE_SERVICES_ENABLED",
    description: "Run the server's background services (scheduler, late and zombie runs, ...)",
    fallback: "true",
  },
  {
    name: "SLUICE_ZOMBIE_WINDOW_SECONDS",
    description: "Seconds without heartbeats before a RUNNING flow run is CRASHED",
    fallback: "90",
  },
];

/** Where a value came from. */
export type SettingSource = "environment" | ".env" | "default";

/** One row of `config view`. */
export interface EffectiveSetting {
  name: string;
  value: string;
  source: SettingSource;
  description: string;
}

/** Replaces the password of a URL (scheme://user:password@host) with the mask. */
export function maskUrlPassword(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)([^@]*)@/i, (_m, head: string) => `${head}${MASK}@`);
}

function secretKind(name: string): SettingDef["secret"] {
  const known = SETTINGS.find((s) => s.name === name);
  if (known) return known.secret;
  if (/(KEY|SECRET|PASSWORD|TOKEN)/.test(name)) return "value";
  if (/_URL$/.test(name)) return "url";
  return undefined;
}

/** Masks `value` when the setting `name` is secret. */
export function maskSetting(name: string, value: string): string {
  const kind = secretKind(name);
  if (kind === "value") return value === "" ? value : MASK;
  if (kind === "url") return maskUrlPassword(value);
  return value;
}

/** The names of variables this process took from a `.env` file (see loadDotEnv). */
const fromDotEnv = new Set<string>();

/**
 * Loads `.env` from `dir` into process.env without overriding variables already set,
 * as every Sluice process does. Returns the file path when one was read.
 */
export function loadDotEnv(dir = process.cwd(), env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = join(dir, ".env");
  if (!existsSync(path)) return undefined;
  const parsed = parseEnv(readFileSync(path, "utf8")) as Record<string, string>;
  for (const [key, value] of Object.entries(parsed)) {
    if (env[key] !== undefined) continue;
    env[key] = value;
    fromDotEnv.add(key);
  }
  return path;
}

/** The effective SLUICE_* settings and their sources, secrets masked unless `showSecrets`. */
export function effectiveSettings(env: NodeJS.ProcessEnv, showSecrets = false): EffectiveSetting[] {
  const names = [
    ...SETTINGS.map((s) => s.name),
    ...Object.keys(env)
      .filter((k) => k.startsWith("SLUICE_") && !SETTINGS.some((s) => s.name === k))
      .sort(),
  ];
  return names.map((name) => {
    const def = SETTINGS.find((s) => s.name === name);
    const raw = env[name];
    if (raw === undefined) {
      return { name, value: def?.fallback ?? "", source: "default", description: def?.description ?? "" };
    }
    return {
      name,
      value: showSecrets ? raw : maskSetting(name, raw),
      source: fromDotEnv.has(name) ? ".env" : "environment",
      description: def?.description ?? "",
    };
  });
}
