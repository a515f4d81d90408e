import type { Command } from "commander";
import { createClient } from "@sluice/client";
import type { VersionResponse } from "@sluice/contracts";
import { cliVersion } from "../cli-version.js";
import { apiUrl, isServerReachable } from "../connection.js";
import { describeError } from "../errors.js";
import { formatFields, printJson, printLine } from "../output.js";

/** `sluice version`: the CLI's version, and the server's when it answers. */
export function registerVersionCommand(program: Command): void {
  program
    .command("version")
    .description("Show the CLI version, and the server's when it is reachable")
    .option("--json", "print JSON")
    .action(async (opts: { json?: boolean }) => {
      const url = apiUrl();
      let server: VersionResponse | undefined;
      let problem = `not reachable at ${url}`;
      if (await isServerReachable(url)) {
        try {
          const api = createClient({
            baseUrl: url,
            apiKey: process.env.SLUICE_API_KEY || undefined,
            retries: 0,
          });
          server = await api.call("version");
        } catch (error) {
          problem = `error at ${url}: ${describeError(error)}`;
        }
      }
      const node = process.versions.node;
      if (opts.json) return printJson({ cli: cliVersion(), node, apiUrl: url, server: server ?? null });
      printLine(
        formatFields([
          ["Sluice CLI", cliVersion()],
          ["Node.js", node],
          [
            "Server",
            server ? `${server.version} (API ${server.apiVersion}, ${server.database}) at ${url}` : problem,
          ],
        ]),
      );
    });
}
