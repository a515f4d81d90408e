/**
 * Seeds a migrated PostgreSQL database for the ui-scale benchmark with set-based SQL: flow runs spread
 * over 30 days (and a few hours ahead) with a realistic state mix, several flows, deployments and
 * tags, and task runs with their current states. Secondary indexes are dropped for the load and built
 * afterwards (faster than maintaining them row by row), then the tables are analysed and vacuumed.
 */
import pg from "pg";

export interface SeedSize {
  readonly flowRuns: number;
  readonly taskRunsPerFlowRun: number;
}

const FLOWS = [
  "etl-orders",
  "etl-customers",
  "ml-train",
  "ml-score",
  "reports-daily",
  "sync-crm",
  "backup",
  "cleanup",
];
const TAG_SETS = ['["prod"]', '["prod","etl"]', '["dev"]', "[]", '["etl","nightly"]', '["prod","ml"]'];
const SEEDED_TABLES = ["flow_runs", "flow_run_states", "task_runs", "task_run_states"];

/**
 * One flow run per g in [lo, hi]: its time `ts` (uniform over 30 days before the anchor, the last
 * 0.8% up to 6 hours ahead), a pseudo-random r in [0, 1000) and its state type.
 */
function flowRunSource(n: number, lo: number, hi: number): string {
  return `
    select g, ts, r, st,
      case st when 'SCHEDULED' then case when ts > $1::timestamptz then 'Scheduled' else 'Late' end
              else initcap(st) end as sn
    from (
      select g, ts, r,
        case
          when ts > $1::timestamptz then 'SCHEDULED'
          when ts > $1::timestamptz - interval '10 minutes' and r < 300 then 'PENDING'
          when ts > $1::timestamptz - interval '1 hour' and r < 600 then 'RUNNING'
          when r < 70 then 'FAILED'
          when r < 80 then 'CRASHED'
          when r < 100 then 'CANCELLED'
          when r < 103 then 'SCHEDULED'
          else 'COMPLETED'
        end as st
      from (
        select g,
          $1::timestamptz - interval '30 days' + (g::float8 / ${n}) * interval '30 days 6 hours' as ts,
          (g::bigint * 7919 % 1000)::int as r
        from generate_series(${lo}, ${hi}) g
      ) t
    ) s`;
}

async function seedReferenceRows(client: pg.Client, anchor: string): Promise<void> {
  await client.query(
    `insert into flows (id, name, tags, created_at, updated_at)
     select pg_temp.seed_uuid('flow' || i), name, '[]', $1::timestamptz - interval '60 days', $1::timestamptz - interval '60 days'
     from unnest($2::text[]) with ordinality as f(name, i)`,
    [anchor, FLOWS],
  );
  // Two deployments per flow, on the pools created through the API.
  await client.query(
    `insert into deployments (id, flow_id, name, entrypoint, work_pool_id, created_at, updated_at)
     select pg_temp.seed_uuid('deployment' || i || d), pg_temp.seed_uuid('flow' || i), case d when 1 then 'hourly' else 'on-demand' end,
       'flows/' || name || '.ts:' || name, (select id from work_pools order by name limit 1 offset (i + d) % 3),
       $1::timestamptz - interval '60 days', $1::timestamptz - interval '60 days'
     from unnest($2::text[]) with ordinality as f(name, i), generate_series(1, 2) d`,
    [anchor, FLOWS],
  );
}

async function seedFlowRuns(
  client: pg.Client,
  anchor: string,
  n: number,
  lo: number,
  hi: number,
): Promise<void> {
  const flows = FLOWS.length;
  await client.query(
    `with src as (${flowRunSource(n, lo, hi)}),
     runs as (
       insert into flow_runs (id, flow_id, name, parameters, tags, policy, state_id, state_type, state_name,
         run_count, expected_start_time, start_time, end_time, total_run_time_ms, created_at, updated_at,
         deployment_id, auto_scheduled, work_pool_name, work_queue_name, next_scheduled_start_time, last_heartbeat_at)
       select pg_temp.seed_uuid('fr' || g), pg_temp.seed_uuid('flow' || (g % ${flows} + 1)), 'run-' || g, '{"n":1}',
         (array[${TAG_SETS.map((t) => `'${t}'::jsonb`).join(",")}])[g % ${TAG_SETS.length} + 1],
         '{"retries":0,"retryDelaySeconds":0,"crashRetries":0}', pg_temp.seed_uuid('frs' || g), st, sn,
         case when st in ('SCHEDULED', 'PENDING') then 0 else 1 end, ts,
         case when st in ('SCHEDULED', 'PENDING') then null else ts + interval '2 seconds' end,
         case when st in ('COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED') then ts + (r % 120 + 3) * interval '1 second' end,
         case when st in ('COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED') then (r % 120 + 1) * 1000 else 0 end,
         ts - interval '1 minute', ts,
         case when r % 5 = 0 then null else pg_temp.seed_uuid('deployment' || (g % ${flows} + 1) || (g / ${flows} % 2 + 1)) end,
         r % 5 <> 0, case when r % 5 = 0 then null else 'default' end,
         case when r % 5 = 0 then null else 'default' end,
         case when st = 'SCHEDULED' then ts end,
         case when st = 'RUNNING' then $1::timestamptz end
       from src
     )
     insert into flow_run_states (id, flow_run_id, type, name, timestamp, details)
     select pg_temp.seed_uuid('frs' || g), pg_temp.seed_uuid('fr' || g), st, sn, least(ts, $1::timestamptz), '{}' from src`,
    [anchor],
  );
}

/** Task runs of flow runs lo..hi: `per` each, their state following the flow run's. */
async function seedTaskRuns(
  client: pg.Client,
  anchor: string,
  n: number,
  per: number,
  lo: number,
  hi: number,
): Promise<void> {
  await client.query(
    // Random ids drawn once per row in a CTE that both inserts read (so the pairs match): far cheaper
    // than hashing, which matters at ten million rows.
    `with src as materialized (
       select fid, i, gen_random_uuid() as tid, gen_random_uuid() as sid,
         least(ts, $1::timestamptz) + i * interval '1 second' as created,
         case
           when st in ('SCHEDULED', 'PENDING') then 'PENDING'
           when st = 'RUNNING' then case when i < ${per} / 2 then 'COMPLETED' when i = ${per} / 2 then 'RUNNING' else 'PENDING' end
           when st = 'COMPLETED' then 'COMPLETED'
           when i < ${per} - 1 then 'COMPLETED'
           else st
         end as tst
       from (select pg_temp.seed_uuid('fr' || g) as fid, ts, st from (${flowRunSource(n, lo, hi)}) f0) f,
         generate_series(0, ${per - 1}) i
     ),
     runs as (
       insert into task_runs (id, flow_run_id, task_key, name, dynamic_key, tags, task_inputs, state_id, state_type,
         state_name, run_count, start_time, end_time, total_run_time_ms, created_at, updated_at)
       select tid, fid, 'task-' || i, 'task-' || i || '-0', '0', '[]', '{}', sid, tst, initcap(tst),
         case when tst = 'PENDING' then 0 else 1 end,
         case when tst = 'PENDING' then null else created end,
         case when tst in ('COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED') then created + interval '800 milliseconds' end,
         case when tst in ('COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED') then 800 else 0 end, created, created
       from src
     )
     insert into task_run_states (id, task_run_id, type, name, timestamp, details)
     select sid, tid, tst, initcap(tst), created, '{}' from src`,
    [anchor],
  );
}

/** Seeds the database at `url` (migrated, with work pools); prints progress to stderr. */
export async function seedDatabase(
  url: string,
  size: SeedSize,
  anchor: string,
): Promise<{ seconds: number }> {
  const started = Date.now();
  const log = (what: string) =>
    console.error(`[bench] ui-scale seed ${((Date.now() - started) / 1000).toFixed(0)} s: ${what}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("set session_replication_role = replica"); // no foreign-key checks while loading
    await client.query("set synchronous_commit = off");
    await client.query("set maintenance_work_mem = '512MB'");
    await client.query("set max_parallel_maintenance_workers = 2");
    // Deterministic ids that are valid version-4 uuids (the API checks the version and variant).
    await client.query(`create function pg_temp.seed_uuid(t text) returns uuid language sql immutable as $$
      select (substr(md5(t), 1, 12) || '4' || substr(md5(t), 14, 3) || '8' || substr(md5(t), 18))::uuid $$`);
    const { rows: indexes } = await client.query<{ name: string; def: string }>(
      `select i.indexname as name, i.indexdef as def from pg_indexes i
       where i.schemaname = current_schema() and i.tablename = any($1::text[])
         and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
      [SEEDED_TABLES],
    );
    for (const index of indexes) await client.query(`drop index ${index.name}`);
    log(`dropped ${indexes.length} secondary indexes for the load`);
    await seedReferenceRows(client, anchor);
    const n = size.flowRuns;
    const batch = 100_000;
    for (let lo = 1; lo <= n; lo += batch) {
      await seedFlowRuns(client, anchor, n, lo, Math.min(n, lo + batch - 1));
      log(`flow runs ${Math.min(n, lo + batch - 1).toLocaleString("en")} / ${n.toLocaleString("en")}`);
    }
    const taskBatch = Math.max(1, Math.floor(1_000_000 / size.taskRunsPerFlowRun));
    for (let lo = 1; lo <= n; lo += taskBatch) {
      const hi = Math.min(n, lo + taskBatch - 1);
      await seedTaskRuns(client, anchor, n, size.taskRunsPerFlowRun, lo, hi);
      log(
        `task runs ${(hi * size.taskRunsPerFlowRun).toLocaleString("en")} / ${(n * size.taskRunsPerFlowRun).toLocaleString("en")}`,
      );
    }
    for (const index of indexes) {
      await client.query(index.def);
      log(`built ${index.name}`);
    }
    for (const table of SEEDED_TABLES) {
      await client.query(`vacuum (analyze) ${table}`);
      log(`vacuumed and analysed ${table}`);
    }
    await client.query("analyze");
  } finally {
    await client.end();
  }
  return { seconds: (Date.now() - started) / 1000 };
}
