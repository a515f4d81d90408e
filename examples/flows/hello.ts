/**
 * A small Sluice flow: a few tasks, a retrying task, a cached task, a log line and a markdown artifact.
 *
 *   npx tsx examples/flows/hello.ts Ada        # uses the built packages (`npm install` builds them)
 *   node --conditions=@sluice/source --import tsx examples/flows/hello.ts Ada   # straight from source
 *   sluice run examples/flows/hello.ts:hello --param name=Ada
 *
 * Runs are recorded in SLUICE_API_URL, else a server on :4200, else a temporary in-process server.
 */
import { createMarkdownArtifact, flow, getRunLogger, task } from "@sluice/sdk";
import { z } from "zod";

/** Adds two numbers. */
const add = task({ name: "add" }, async (a: number, b: number) => Promise.resolve(a + b));

let attempts = 0;
/** Fails on its first attempt to show retries. */
const flakyFetch = task({ name: "flaky-fetch", retries: 2, retryDelaySeconds: 0.2 }, async (n: number) => {
  attempts++;
  if (attempts === 1) throw new Error("the first call always fails");
  return Promise.resolve(n * 10);
});

/** Cached by its inputs: a second run with the same name reads the stored result. */
const expensiveGreeting = task(
  { name: "expensive-greeting", cachePolicy: "inputs" },
  async (name: string) => {
    await new Promise((resolve) => setTimeout(resolve, 200));
    return `Hello, ${name}!`;
  },
);

export const hello = flow(
  {
    name: "hello",
    description: "Greets someone and adds a few numbers.",
    parameters: z.object({ name: z.string().default("world") }),
  },
  async ({ name }) => {
    const logger = getRunLogger();
    const greeting = await expensiveGreeting(name);
    logger.info(greeting);
    const sums = await add.map([1, 2, 3], [10, 20, 30]);
    const fetched = await flakyFetch(sums.length);
    const total = await add(
      sums.reduce((a, b) => a + b, 0),
      fetched,
    );
    await createMarkdownArtifact(
      `# ${greeting}\n\n| sums | fetched | total |\n|---|---|---|\n| ${sums.join(", ")} | ${fetched} | ${total} |\n`,
      { key: "hello-summary", description: "What the hello flow computed" },
    );
    return { greeting, total };
  },
);

// Run when executed directly (not when imported by `sluice run` or a worker).
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await hello({ name: process.argv[2] ?? "world" }));
}
