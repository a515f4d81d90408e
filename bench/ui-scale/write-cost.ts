/**
 * What the hourly run counters (migration 0007, decisions/0019) cost the writes that feed them, on
 * the seeded database: the same statements timed with the counting triggers enabled and disabled,
 * alternating, inside one transaction that is rolled back (the seeded data is left as it was).
 */
import pg from "pg";

export interface WriteCostFigures {
  /** One task-run batch: 50 task runs inserted RUNNING, then updated to COMPLETED. Median ms per batch. */
  readonly taskBatch: { readonly on: number; readonly off: number };
  /** One flow-run row updated (a state change, then a touch that changes no counted column). Median ms per statement. */
  readonly flowRunUpdate: { readonly on: number; readonly off: number };
  readonly rounds: number;
}

const ROUNDS = 6;
const BATCHES = 200;
const FLOW_RUNS = 1000;

/** A DO block timing `body` ROUNDS times in each mode into the temp table `write_cost`. */
function timed(table: string, kind: string, setup: string, body: string): string {
  return `do $$
declare t0 timestamptz; r int; mode text; i int; ids uuid[]; fr uuid;
begin
  ${setup}
  for r in 1..${ROUNDS} loop
    foreach mode in array array['on', 'off'] loop
      execute format('alter table ${table} %s trigger user', case mode when 'on' then 'enable' else 'disable' end);
      t0 := clock_timestamp();
      ${body}
      insert into write_cost values ('${kind}', mode, extract(epoch from clock_timestamp() - t0) * 1000);
    end loop;
  end loop;
end $$`;
}

const TASK_BATCHES = timed(
  "task_runs",
  "task",
  "select id into fr from flow_runs limit 1;",
  `for i in 1..${BATCHES} loop
        with ins as (
          insert into task_runs (id, flow_run_id, task_key, name, dynamic_key, state_type, state_name, created_at, updated_at)
          select gen_random_uuid(), fr, 't', 't', g::text, 'RUNNING', 'Running', now(), now()
          from generate_series(1, 50) g
          returning id)
        select array_agg(id) into ids from ins;
        update task_runs set state_type = 'COMPLETED', state_name = 'Completed', updated_at = now()
          where id = any(ids);
      end loop;`,
);

const FLOW_RUN_UPDATES = timed(
  "flow_runs",
  "flow",
  `select array_agg(id) into ids from (select id from flow_runs limit ${FLOW_RUNS}) x;`,
  `for i in 1..${FLOW_RUNS} loop
        update flow_runs set state_type = case when state_type = 'RUNNING' then 'COMPLETED' else 'RUNNING' end
          where id = ids[i];
        update flow_runs set updated_at = now() where id = ids[i];
      end loop;`,
);

export async function measureWriteCost(databaseUrl: string): Promise<WriteCostFigures> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query("begin");
    await db.query("create temp table write_cost (kind text, mode text, ms float8)");
    await db.query(TASK_BATCHES);
    await db.query(FLOW_RUN_UPDATES);
    const { rows } = await db.query<{ kind: string; mode: string; median: number }>(
      `select kind, mode, percentile_cont(0.5) within group (order by ms) as median
       from write_cost group by kind, mode`,
    );
    const median = (kind: string, mode: string, per: number) => {
      const row = rows.find((r) => r.kind === kind && r.mode === mode);
      if (!row) throw new Error(`no ${kind}/${mode} timing`);
      return Math.round((row.median / per) * 1000) / 1000;
    };
    return {
      taskBatch: { on: median("task", "on", BATCHES), off: median("task", "off", BATCHES) },
      flowRunUpdate: { on: median("flow", "on", 2 * FLOW_RUNS), off: median("flow", "off", 2 * FLOW_RUNS) },
      rounds: ROUNDS,
    };
  } finally {
    await db
      .query("rollback")
      .catch((error: unknown) => console.error(`[bench] rollback failed: ${String(error)}`));
    await db.end();
  }
}
