/**
 * Process entry: `node --import tsx packages/server/src/main.ts` starts a server from the SLUICE_*
 * environment and stops it cleanly on SIGINT or SIGTERM. The CLI's `sluice server start` does the same.
 */
import { startServer } from "./server.js";

const server = await startServer();
const stop = () => {
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`error while stopping: ${String(error)}\n`);
      process.exit(1);
    },
  );
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
