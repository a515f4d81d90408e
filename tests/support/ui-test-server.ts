/**
 * A real Sluice test server in its own process, for the web UI's tests: those run in a browser-like
 * environment (happy-dom) where the server's modules cannot load. Prints `{"url": ...}` on stdout
 * once listening; stops on SIGTERM. Usage: ui-test-server.ts [--api-key KEY]
 */
import { startTestServer } from "@sluice/server";

const keyAt = process.argv.indexOf("--api-key");
const apiKey = keyAt >= 0 ? process.argv[keyAt + 1] : undefined;
const server = await startTestServer(apiKey ? { apiKey } : {});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.once("SIGTERM", () => {
  void server.close().then(() => process.exit(0));
});
