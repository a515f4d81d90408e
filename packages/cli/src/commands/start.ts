import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { describeError } from "../errors.js";
import { sluiceHome } from "../settings.js";
import { flowExportNames, importFlowFile } from "../flow-file.js";
import { formatState, printLine, printNote, shouldColor } from "../output.js";
import { flowDisplayName, runFlowFromCli, whereToLook } from "./run.js";
import { runLifecycleExample } from "./start-lifecycle.js";
import { closeOnSignal, printServerUrls, serverUrls, startServerFromCli } from "./server.js";
import { flowRunCommandOfThisCli } from "./worker.js";

/** The process pool `sluice start` serves, so a deployment runs with no other setup. */
export const EMBEDDED_POOL = "default";

/**
 * Starts a worker for the `default` process pool in this process (creating the pool when missing).
 * Returns its stop function, which lets running flow runs finish.
 */
async function startEmbeddedWorker(url: string): Promise<() => Promise<void>> {
  const { createWorker } = await import("@sluice/worker");
  const worker = createWorker({
    apiUrl: url,
    pool: EMBEDDED_POOL,
    createPoolType: "process",
    name: "embedded",
    launchers: { process: { flowRunCommand: flowRunCommandOfThisCli() } },
  });
  const running = worker.run().catch((error: unknown) => {
    printNote(`The embedded worker stopped: ${describeError(error)}`);
  });
  return async () => {
    worker.stop();
    await running;
  };
}

/** The example flow `sluice start` runs, at the repository root (same depth from src/ and dist/). */
export const EXAMPLE_FLOW = fileURLToPath(new URL("../../../../examples/flows/hello.ts", import.meta.url));

/**
 * Runs the example flow in this process against `url` and prints where to look (with --no-worker,
 * when no worker would run the pipeline's deployment); never throws (the server keeps serving).
 */
async function runExample(url: string): Promise<void> {
  if (!existsSync(EXAMPLE_FLOW)) {
    printNote(`The example flow is missing (${EXAMPLE_FLOW}); skipping the example run.`);
    return;
  }
  try {
    const module = await importFlowFile(EXAMPLE_FLOW);
    const { isFlow } = await import("@sluice/sdk");
    const names = flowExportNames(module, isFlow);
    const pick = names.includes("hello") ? "hello" : names.includes("default") ? "default" : names[0];
    if (pick === undefined) {
      printNote("examples/flows/hello.ts exports no flow; skipping the example run.");
      return;
    }
    const flow = module[pick];
    const name = flowDisplayName(flow, pick);
    printLine(`Running the example flow ${name} (examples/flows/hello.ts)...`);
    const outcome = await runFlowFromCli(flow, name, {}, url);
    printLine(
      `Example flow run ${outcome.flowRunId} finished: ${formatState(outcome.state.type, outcome.state.name, shouldColor())}`,
    );
    printLine("See it:");
    for (const line of whereToLook(outcome.flowRunId, url)) printLine(line);
  } catch (error) {
    printNote(`The example flow did not run: ${describeError(error)}`);
  }
}

/** `sluice start`: the server and a worker on embedded defaults, the example pipeline, and where to look. */
export function registerStartCommand(program: Command): void {
  program
    .command("start")
    .description(
      "Start the server and a worker on embedded defaults, deploy and run the example pipeline, and keep serving (Ctrl-C stops)",
    )
    .option("--no-example", "do not deploy and run the example pipeline")
    .option("--no-worker", `do not serve the "${EMBEDDED_POOL}" process pool in this process`)
    .action(async (opts: { example: boolean; worker: boolean }) => {
      const server = await startServerFromCli({});
      printServerUrls(server);
      const stopWorker = opts.worker ? await startEmbeddedWorker(server.url) : undefined;
      if (stopWorker)
        printLine(`A worker serves the "${EMBEDDED_POOL}" process pool: deployments in it run here.`);
      if (opts.example && stopWorker) {
        // The main job: the dataset build pipeline as a deployment, run by the embedded worker.
        const { createClient } = await import("@sluice/client");
        await runLifecycleExample(createClient({ baseUrl: server.url }), server.url, sluiceHome());
      } else if (opts.example) await runExample(server.url);
      const urls = serverUrls(server.url);
      printLine("");
      printLine(`Open the UI at ${urls.ui}, the API docs at ${urls.docs};`);
      printLine("list runs with `npm run sluice -- flow-run ls` (or `sluice flow-run ls`).");
      printLine("Serving; press Ctrl-C to stop.");
      await closeOnSignal({
        ...server,
        close: async () => {
          await stopWorker?.();
          await server.close();
        },
      });
    });
}
