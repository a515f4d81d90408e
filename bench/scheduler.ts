/**
 * The scheduler's pass, in this process on the database named by SLUICE_DATABASE_URL (PGlite in
 * BENCH_PGLITE_DIR when unset): DEPLOYMENTS deployments with a one-minute cron are created paused,
 * resumed in one statement, then timed: the first pass (fills each one's window: at least 1 hour and
 * 3 runs ahead) and a steady-state pass one minute later (one new run each). Prints one JSON line.
 */
import { createClient } from "@sluice/client";
import { createTestClock, openDatabase, startServer } from "@sluice/server";
import { sql } from "kysely";

const DEPLOYMENTS = Number(process.env.DEPLOYMENTS ?? 1000);
const clock = createTestClock(new Date());
const database = await openDatabase({
  databaseUrl: process.env.SLUICE_DATABASE_URL || undefined,
  pgliteDataDir: process.env.BENCH_PGLITE_DIR ?? "memory",
});
const server = await startServer({ port: 0, database, clock, services: false, quiet: true });
const client = createClient({ baseUrl: server.url });
const round = (n: number) => Math.round(n * 10) / 10;

async function countScheduled(): Promise<number> {
  return (await client.call("countFlowRuns", { body: { stateTypes: ["SCHEDULED"] } })).count;
}

async function timedPass(): Promise<{ ms: number; runsCreated: number }> {
  const before = await countScheduled();
  const started = performance.now();
  await server.runService("scheduler");
  const ms = performance.now() - started;
  return { ms: round(ms), runsCreated: (await countScheduled()) - before };
}

try {
  await client.call("createWorkPool", { body: { name: "bench-scheduler" } });
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < DEPLOYMENTS) {
        const i = next++;
        await client.call("upsertDeployment", {
          body: {
            flowName: "bench-scheduled",
            name: `every-minute-${i}`,
            entrypoint: "bench/flows/instant.ts:instant",
            workPoolName: "bench-scheduler",
            paused: true,
            schedules: [{ schedule: { kind: "cron", cron: "* * * * *" } }],
          },
        });
      }
    }),
  );
  await sql`update deployments set paused = false`.execute(database.db);
  const first = await timedPass();
  clock.advance(60_000);
  const steady = await timedPass();
  process.stdout.write(JSON.stringify({ deployments: DEPLOYMENTS, first, steady }) + "\n");
} finally {
  await server.close();
  await database.close();
}
