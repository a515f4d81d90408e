import { createClient, normaliseBaseUrl, parseBaseUrls } from "@sluice/client";
import { CliError } from "./errors.js";
import { startLocalServer } from "./local-server.js";
import { startProgress } from "./output.js";
import { DEFAULT_API_URL, sluiceHome } from "./settings.js";

/** The API client the commands use. */
export type Api = ReturnType<typeof createClient>;

/** A live connection to a server: the client, the server's root URL, and how to let go of it. */
export interface Connection {
  api: Api;
  /** Server root, for example "http://127.0.0.1:4200". */
  url: string;
  /** True when the CLI started an embedded server for this command. */
  embedded: boolean;
  close(): Promise<void>;
}

/** Options of `connect`. */
export interface ConnectOptions {
  /**
   * Start an embedded server on the SLUICE_HOME database when nothing answers at the default URL
   * (read commands only; never when SLUICE_API_URL is set explicitly). Default false.
   */
  allowEmbedded?: boolean;
  env?: NodeJS.ProcessEnv;
}

/**
 * The API root the CLI talks to: SLUICE_API_URL, else http://127.0.0.1:4200. SLUICE_API_URL may list
 * several server replicas separated by commas; the client moves to the next when one is down.
 */
export function apiUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.SLUICE_API_URL?.trim();
  const bad = url ? url.split(",").find((one) => !/^https?:\/\/[^/\s]+/i.test(one.trim())) : undefined;
  if (bad !== undefined) {
    throw new CliError(
      `invalid SLUICE_API_URL "${url}": expected an http(s) URL such as ${DEFAULT_API_URL}` +
        ` (or several separated by commas), not "${bad.trim()}"`,
    );
  }
  return normaliseBaseUrl(url && url !== "" ? url : DEFAULT_API_URL);
}

/** The first server root of a URL that may list several (for links shown to the user). */
export function firstUrl(url: string): string {
  return parseBaseUrls(url)[0] ?? url;
}

/**
 * True unless the connection to `url` (or to every URL of a comma-separated list) is refused or the
 * host unknown. A server that is slow to answer (a timeout) counts as reachable: the client's own
 * timeouts and retries then apply.
 */
export async function isServerReachable(url: string, timeoutMs = 3000): Promise<boolean> {
  for (const one of parseBaseUrls(url)) {
    try {
      const response = await fetch(`${one}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
      await response.body?.cancel();
      return true;
    } catch (error) {
      if ((error as Error).name === "TimeoutError") return true;
    }
  }
  return false;
}

/** The error for a server that does not answer at `url` (`explicit`: the URL came from SLUICE_API_URL). */
export function unreachable(url: string, explicit: boolean): CliError {
  return new CliError(
    `Cannot reach the Sluice server at ${url}${explicit ? " (from SLUICE_API_URL)" : ""}.\n` +
      `Start one with \`sluice server start\`${explicit ? ", or check SLUICE_API_URL" : ", or set SLUICE_API_URL"}.`,
  );
}

/** Connects to the server, or (for read commands) starts an embedded one for the command's duration. */
export async function connect(options: ConnectOptions = {}): Promise<Connection> {
  const env = options.env ?? process.env;
  const url = apiUrl(env);
  const apiKey = env.SLUICE_API_KEY || undefined;
  if (await isServerReachable(url)) {
    return {
      api: createClient({ baseUrl: url, apiKey, retries: 2 }),
      url,
      embedded: false,
      close: async () => {},
    };
  }
  const explicit = (env.SLUICE_API_URL ?? "").trim() !== "";
  if (!options.allowEmbedded || explicit) {
    throw unreachable(url, explicit);
  }
  return startEmbedded(url, env);
}

async function startEmbedded(url: string, env: NodeJS.ProcessEnv): Promise<Connection> {
  const home = sluiceHome(env);
  const progress = startProgress(`No server at ${url}; opening the local database in ${home}`);
  let server: Awaited<ReturnType<typeof startLocalServer>>;
  try {
    server = await startLocalServer(
      { host: "127.0.0.1", port: 0, home, quiet: true, logLevel: "silent" },
      "embedded server of a CLI command",
      0,
    );
  } catch (error) {
    throw new CliError(
      `Cannot reach the Sluice server at ${url}, and the local database in ${home} could not be opened: ` +
        `${(error as Error).message}\n` +
        "If a Sluice server is running elsewhere, point the CLI at it with SLUICE_API_URL.",
      1,
      { cause: error },
    );
  } finally {
    progress.stop();
  }
  return {
    api: createClient({ baseUrl: server.url, retries: 0 }),
    url: server.url,
    embedded: true,
    close: () => server.close(),
  };
}

/** Runs `work` with a connection, closing it afterwards. */
export async function withConnection<T>(
  options: ConnectOptions,
  work: (connection: Connection) => Promise<T>,
): Promise<T> {
  const connection = await connect(options);
  try {
    return await work(connection);
  } finally {
    await connection.close();
  }
}
