import type { Command } from "commander";
import type { RunningServer } from "@sluice/server";
import { CliError, UsageError } from "../errors.js";
import { startLocalServer } from "../local-server.js";
import { printLine, printNote } from "../output.js";

/** A started server, as `@sluice/server` returns it. */
export type StartedServer = RunningServer;

/** Parses `--port`: 0-65535. */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new UsageError(`invalid --port "${value}": expected 0-65535`);
  return n;
}

/** The URLs a person needs: the UI, the API root, and the API docs. */
export function serverUrls(url: string): { ui: string; api: string; docs: string } {
  return { ui: `${url}/`, api: `${url}/api`, docs: `${url}/api/docs` };
}

/** Prints where the server is. */
export function printServerUrls(server: StartedServer): void {
  const urls = serverUrls(server.url);
  printLine(`Sluice server listening on ${server.url} (database: ${server.database.kind})`);
  printLine(`  UI:        ${urls.ui}`);
  printLine(`  API:       ${urls.api}`);
  printLine(`  API docs:  ${urls.docs}`);
}

/** Resolves when SIGINT or SIGTERM arrives, then closes `server`; a second signal exits at once. */
export function closeOnSignal(server: StartedServer): Promise<void> {
  return new Promise((resolve, reject) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      process.once("SIGINT", () => process.exit(130));
      process.stderr.write(`\n${signal}: shutting down...\n`);
      server.close().then(() => {
        process.stderr.write("Server stopped.\n");
        resolve();
      }, reject);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

/** Starts a server with CLI options; env settings fill in the rest. */
export async function startServerFromCli(options: {
  host?: string;
  port?: number;
  migrateOnStart?: boolean;
}): Promise<StartedServer> {
  try {
    // A plain line, not a spinner: the server logs to stdout while it starts.
    if (process.stderr.isTTY) printNote("Starting the Sluice server...");
    return await startLocalServer(
      {
        ...(options.host !== undefined ? { host: options.host } : {}),
        ...(options.port !== undefined ? { port: options.port } : {}),
        ...(options.migrateOnStart === false ? { migrateOnStart: false } : {}),
      },
      "sluice server",
      30_000,
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES") {
      const where = `${options.host ?? process.env.SLUICE_SERVER_HOST ?? "127.0.0.1"}:${options.port ?? process.env.SLUICE_SERVER_PORT ?? 4200}`;
      throw new CliError(
        `cannot listen on ${where}: ${code === "EADDRINUSE" ? "the port is in use (is a Sluice server already running? `sluice version` tells)" : "permission denied"}; ` +
          "choose another with --port or SLUICE_SERVER_PORT",
        1,
        { cause: error },
      );
    }
    if (error instanceof CliError) throw error;
    throw new CliError(`the server did not start: ${(error as Error).message}`, 1, { cause: error });
  }
}

/** `sluice server start`. */
export function registerServerCommands(program: Command): void {
  const group = program.command("server").description("The Sluice server: API, UI and background services");
  group
    .command("start")
    .description("Start the server in the foreground (Ctrl-C stops it)")
    .option("--host <host>", "interface to listen on (default SLUICE_SERVER_HOST or 127.0.0.1)")
    .option("--port <port>", "port to listen on (default SLUICE_SERVER_PORT or 4200)", parsePort)
    .option("--no-migrate", "do not apply pending migrations at start")
    .action(async (opts: { host?: string; port?: number; migrate: boolean }) => {
      const server = await startServerFromCli({
        ...(opts.host !== undefined ? { host: opts.host } : {}),
        ...(opts.port !== undefined ? { port: opts.port } : {}),
        migrateOnStart: opts.migrate,
      });
      printServerUrls(server);
      printLine("Press Ctrl-C to stop.");
      await closeOnSignal(server);
    });
}
