/**
 * The management pages' two reads at scale, in this process on the PostgreSQL database named by
 * SLUICE_DATABASE_URL: GET /api/concurrency (every limit with its holders and waiters) and POST
 * /api/artifacts/keys (the newest artifact of each key). Seeds POOLS pools with four limited queues
 * each, DEPLOYMENTS limited deployments (one run holding the slot, ten waiting), DUE due runs,
 * FINISHED finished runs the reads must not scan, and KEYS artifact keys of VERSIONS versions each;
 * then times REQUESTS sequential requests of each read after a warm-up. Prints one JSON line.
 */
import { createClient } from "@sluice/client";
import { openDatabase, startServer } from "@sluice/server";
import { sql } from "kysely";

const POOLS = Number(process.env.POOLS ?? 20);
const DEPLOYMENTS = Number(process.env.DEPLOYMENTS ?? 200);
const FINISHED = Number(process.env.FINISHED ?? 500_000);
const DUE = Number(process.env.DUE ?? 5000);
const KEYS = Number(process.env.KEYS ?? 10_000);
const VERSIONS = Number(process.env.VERSIONS ?? 20);
const REQUESTS = Number(process.env.REQUESTS ?? 50);

const database = await openDatabase({ databaseUrl: process.env.SLUICE_DATABASE_URL });
const server = await startServer({ port: 0, database, services: false, quiet: true });
const client = createClient({ baseUrl: server.url });
const round = (n: number) => Math.round(n * 10) / 10;

async function seed(): Promise<void> {
  for (let p = 0; p < POOLS; p += 1) {
    await client.call("createWorkPool", { body: { name: `pool-${p}`, concurrencyLimit: 1000 } });
    for (let q = 0; q < 4; q += 1) {
      await client.call("createWorkQueue", {
        params: { pool: `pool-${p}` },
        body: { name: `lane-${q}`, concurrencyLimit: 50 },
      });
    }
  }
  for (let d = 0; d < DEPLOYMENTS; d += 1) {
    await client.call("upsertDeployment", {
      body: {
        flowName: "bench-manage",
        name: `limited-${d}`,
        entrypoint: "flows/x.ts:x",
        workPoolName: `pool-${d % POOLS}`,
        concurrencyLimit: 1,
      },
    });
  }
  // Bulk rows in SQL: finished runs (history the reads must skip), one PENDING holder with its lease
  // and ten AwaitingConcurrencySlot waiters per deployment, due runs, and artifact versions.
  await sql`
insert into flow_runs (id, flow_id, name, parameters, tags, policy, state_type, state_name,
  expected_start_time, created_at, updated_at, deployment_id, work_queue_id, work_pool_name,
  work_queue_name, next_scheduled_start_time, end_time)
select gen_random_uuid(), d.flow_id, 'run-' || n, '{}', '[]', '{"retries":0,"retryDelaySeconds":0}',
  case when k.kind = 'finished' then 'COMPLETED' when k.kind = 'holder' then 'PENDING' else 'SCHEDULED' end,
  case when k.kind = 'finished' then 'Completed' when k.kind = 'holder' then 'Pending'
    when k.kind = 'waiter' then 'AwaitingConcurrencySlot' else 'Scheduled' end,
  now() - interval '1 minute', now(), now(), d.id, d.work_queue_id, p.name, q.name,
  case when k.kind in ('waiter', 'due') then now() - interval '1 minute' end,
  case when k.kind = 'finished' then now() end
from (values ('finished', ${FINISHED}::int), ('holder', 1), ('waiter', 10), ('due', ${DUE}::int)) k (kind, per)
cross join lateral generate_series(1, case when k.kind in ('finished', 'due')
  then greatest(1, k.per / ${DEPLOYMENTS}::int) else k.per end) n
cross join deployments d
join work_queues q on q.id = d.work_queue_id
join work_pools p on p.id = q.work_pool_id`.execute(database.db);
  await sql`
insert into concurrency_leases (flow_run_id, deployment_id, expires_at, created_at)
select id, deployment_id, now() + interval '1 day', now() from flow_runs where state_type = 'PENDING'`.execute(
    database.db,
  );
  await sql`
insert into artifacts (id, key, type, data, created_at, updated_at)
select gen_random_uuid(), 'report-' || lpad(k::text, 6, '0'), 'progress', '{"progress": 50}',
  now() - (v || ' seconds')::interval, now()
from generate_series(1, ${KEYS}::int) k cross join generate_series(1, ${VERSIONS}::int) v`.execute(
    database.db,
  );
  await sql`analyze`.execute(database.db);
}

async function time(read: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 5; i += 1) await read();
  const ms: number[] = [];
  for (let i = 0; i < REQUESTS; i += 1) {
    const started = performance.now();
    await read();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0);
  return { p50: at(0.5), p95: at(0.95) };
}

try {
  const seedStarted = performance.now();
  await seed();
  const seedSeconds = round((performance.now() - seedStarted) / 1000);
  const all = await client.call("readConcurrency", { query: {} });
  let cursor: string | undefined;
  for (let i = 0; i < Math.floor(KEYS / 2 / 1000); i += 1) {
    cursor =
      (await client.call("filterArtifactKeys", { body: { limit: 1000, cursor } })).nextCursor ?? undefined;
  }
  const figures = {
    seedSeconds,
    rows: { flowRuns: FINISHED + DEPLOYMENTS * 11 + DUE, artifacts: KEYS * VERSIONS, keys: KEYS },
    limits: all.limits.length,
    concurrencyAll: await time(() => client.call("readConcurrency", { query: {} })),
    concurrencyPool: await time(() => client.call("readConcurrency", { query: { workPool: "pool-0" } })),
    artifactKeysFirst: await time(() => client.call("filterArtifactKeys", { body: { limit: 25 } })),
    artifactKeysMiddle: await time(() =>
      client.call("filterArtifactKeys", { body: { limit: 25, ...(cursor ? { cursor } : {}) } }),
    ),
  };
  process.stdout.write(JSON.stringify(figures) + "\n");
} finally {
  await server.close();
}
