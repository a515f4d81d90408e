import { homedir } from "node:os";
import { join } from "node:path";
import { LOG_LEVELS, type LogLevelName } from "@sluice/contracts";
import { z } from "zod";

/** The server's spellings of SLUICE_LOG_LEVEL, which one environment often shares with flows. */
const SERVER_LEVEL_NAMES: Record<string, LogLevelName> = { WARN: "WARNING", SILENT: "CRITICAL" };

const LogLevel = z
  .string()
  .transform((v) => {
    const name = v.trim().toUpperCase();
    return SERVER_LEVEL_NAMES[name] ?? name;
  })
  .pipe(z.enum(Object.keys(LOG_LEVELS) as [LogLevelName, ...LogLevelName[]]));

/** The SDK's environment variables, parsed once. */
const SdkEnv = z.object({
  /**
   * Where to record runs (default: a local server on :4200 if it answers, else an ephemeral one);
   * several replicas' URLs may be given separated by commas.
   */
  SLUICE_API_URL: z
    .string()
    .refine(
      (text) => text.split(",").every((one) => z.string().url().safeParse(one.trim()).success),
      "expected a URL, or several server replicas' URLs separated by commas",
    )
    .optional(),
  /** Sent as a bearer token (default: none). */
  SLUICE_API_KEY: z.string().optional(),
  /** Data directory (default ~/.sluice). */
  SLUICE_HOME: z.string().optional(),
  /** Lowest level logged to stderr and sent to the API (default INFO). */
  SLUICE_LOG_LEVEL: LogLevel.default("INFO"),
  /** Tasks running at once per flow run (default 64). */
  SLUICE_TASK_CONCURRENCY: z.coerce.number().int().min(1).default(64),
  /** Seconds between flow-run heartbeats (default 5). */
  SLUICE_HEARTBEAT_SECONDS: z.coerce.number().positive().default(5),
  /** Where results go: "local" (`${SLUICE_HOME}/storage`) or a storage block "s3-bucket/NAME" (default local). */
  SLUICE_RESULT_STORAGE: z
    .string()
    .trim()
    .regex(
      /^(local|(s3-bucket|local-file-system)\/[a-z0-9]+(-[a-z0-9]+)*)$/,
      'expected "local", "s3-bucket/NAME" or "local-file-system/NAME"',
    )
    .default("local"),
});

/** Settings the SDK reads from the environment. */
export interface SdkSettings {
  apiUrl: string | undefined;
  apiKey: string | undefined;
  home: string;
  logLevel: number;
  taskConcurrency: number;
  heartbeatSeconds: number;
  /** "local" or a storage block reference, `TYPE/NAME`. */
  resultStorage: string;
}

let cached: SdkSettings | undefined;

/** The SDK settings from `process.env`, parsed on first use. */
export function getSdkSettings(): SdkSettings {
  if (cached) return cached;
  const env = SdkEnv.parse(
    Object.fromEntries(Object.entries(process.env).filter(([k, v]) => k.startsWith("SLUICE_") && v !== "")),
  );
  cached = {
    apiUrl: env.SLUICE_API_URL,
    apiKey: env.SLUICE_API_KEY,
    home: env.SLUICE_HOME ?? join(homedir(), ".sluice"),
    logLevel: LOG_LEVELS[env.SLUICE_LOG_LEVEL],
    taskConcurrency: env.SLUICE_TASK_CONCURRENCY,
    heartbeatSeconds: env.SLUICE_HEARTBEAT_SECONDS,
    resultStorage: env.SLUICE_RESULT_STORAGE,
  };
  return cached;
}

/** Forgets the parsed settings so the next read sees the current environment (tests). */
export function resetSdkSettings(): void {
  cached = undefined;
}
