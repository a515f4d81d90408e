/**
 * Starts one Sluice server for a benchmark, in its own process (as `sluice server start` would),
 * so the flow code being measured never shares an event loop with the server.
 * Prints `{"url": ...}` on stdout once listening; exits on SIGTERM.
 */
import { startServer } from "@sluice/server";

const server = await startServer({
  host: "127.0.0.1",
  port: 0,
  databaseUrl: process.env.SLUICE_DATABASE_URL || undefined,
  pgliteDataDir: process.env.BENCH_PGLITE_DIR,
  quiet: true,
});
process.stdout.write(JSON.stringify({ url: server.url, database: server.database.kind }) + "\n");
const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
