import { sql, type Kysely } from "kysely";
import type { Tables } from "../db/tables.js";

/** What one compaction did. */
export interface CompactionReport {
  /** Delta rows folded into the hourly counters. */
  folded: number;
  /** Counter rows removed because they came to zero. */
  emptied: number;
}

/**
 * Folds the pending deltas (appended by migration 0007's triggers) into run_state_counts, in one
 * transaction: readers see the deltas or the counters they became, never both. Only this writes
 * counter rows, so state writers never queue on them. Counters that came to zero are removed, so a
 * passing state (PENDING, RUNNING) leaves no row behind once its runs have moved on.
 */
export async function compactRunCounts(db: Kysely<Tables>): Promise<CompactionReport> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{
      runKind: string;
      hour: Date;
      stateType: string;
      stateName: string;
      count: string;
      folded: string;
    }>`
      with moved as (
        delete from run_state_count_deltas
        returning run_kind, hour, state_type, state_name, delta
      ), summed as (
        select run_kind, hour, state_type, state_name, sum(delta) as delta, count(*) as folded
        from moved group by 1, 2, 3, 4
      ), upserted as (
        insert into run_state_counts as c (run_kind, hour, state_type, state_name, count)
        select run_kind, hour, state_type, state_name, delta from summed
        on conflict (run_kind, hour, state_type, state_name) do update set count = c.count + excluded.count
        returning run_kind, hour, state_type, state_name, count
      )
      select u.run_kind as "runKind", u.hour, u.state_type as "stateType", u.state_name as "stateName",
        u.count::text as count, s.folded::text as folded
      from upserted u join summed s using (run_kind, hour, state_type, state_name)`.execute(trx);
    const empty = rows.filter((row) => row.count === "0");
    if (empty.length > 0) {
      await sql`
        delete from run_state_counts c
        using unnest(
          ${empty.map((r) => r.runKind)}::text[],
          ${empty.map((r) => new Date(r.hour).toISOString())}::timestamptz[],
          ${empty.map((r) => r.stateType)}::text[],
          ${empty.map((r) => r.stateName)}::text[]
        ) as e(run_kind, hour, state_type, state_name)
        where c.run_kind = e.run_kind and c.hour = e.hour and c.state_type = e.state_type
          and c.state_name = e.state_name and c.count = 0`.execute(trx);
    }
    return { folded: rows.reduce((sum, row) => sum + Number(row.folded), 0), emptied: empty.length };
  });
}
