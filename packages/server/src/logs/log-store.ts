import type { Log, LogCreate, LogFilter } from "@sluice/contracts";
import { sql, type Kysely } from "kysely";
import { applyKeyset, toPage, type SortOrder } from "../db/keyset.js";
import type { LogRow, Tables } from "../db/tables.js";
import { escapeLike } from "../flows/flow-store.js";

type Db = Kysely<Tables>;
type Sort = NonNullable<LogFilter["sort"]>;

const SORTS: Record<Sort, SortOrder> = {
  TIMESTAMP_ASC: {
    name: "TIMESTAMP_ASC",
    column: "timestamp",
    idColumn: "id",
    direction: "asc",
    kind: "timestamp",
  },
  TIMESTAMP_DESC: {
    name: "TIMESTAMP_DESC",
    column: "timestamp",
    idColumn: "id",
    direction: "desc",
    kind: "timestamp",
  },
};

/** A log line with its id chosen. */
export type NewLog = Omit<LogCreate, "id"> & { id: string };

/** Inserts log lines in one statement, skipping ids already stored; returns how many were new. */
export async function insertLogs(db: Db, logs: readonly NewLog[], now: Date): Promise<number> {
  if (logs.length === 0) return 0;
  const result = await sql`
    insert into logs (id, flow_run_id, task_run_id, name, level, message, timestamp, created_at)
    select *, ${now.toISOString()}::timestamptz from unnest(
      ${logs.map((l) => l.id)}::uuid[],
      ${logs.map((l) => l.flowRunId ?? null)}::uuid[],
      ${logs.map((l) => l.taskRunId ?? null)}::uuid[],
      ${logs.map((l) => l.name)}::text[],
      ${logs.map((l) => l.level)}::int[],
      ${logs.map((l) => l.message)}::text[],
      ${logs.map((l) => new Date(l.timestamp).toISOString())}::timestamptz[]
    )
    on conflict (id) do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** A page of logs matching the filter. */
export async function listLogs(db: Db, filter: LogFilter & { limit: number; sort: Sort }) {
  const sort = SORTS[filter.sort];
  let q = db.selectFrom("logs").selectAll();
  if (filter.flowRunId) q = q.where("flow_run_id", "=", filter.flowRunId);
  if (filter.taskRunId) q = q.where("task_run_id", "=", filter.taskRunId);
  if (filter.levelMin !== undefined) q = q.where("level", ">=", filter.levelMin);
  if (filter.after) q = q.where("timestamp", ">=", new Date(filter.after));
  if (filter.before) q = q.where("timestamp", "<=", new Date(filter.before));
  if (filter.text) q = q.where("message", "ilike", `%${escapeLike(filter.text)}%`);
  const rows = await applyKeyset(q, sort, filter.cursor, filter.limit).execute();
  return toPage(
    rows,
    filter.limit,
    sort,
    (row) => row.timestamp,
    (row) => row.id,
    toLog,
  );
}

function toLog(row: LogRow): Log {
  return {
    id: row.id,
    flowRunId: row.flow_run_id,
    taskRunId: row.task_run_id,
    name: row.name,
    level: row.level,
    message: row.message,
    timestamp: row.timestamp.toISOString(),
  };
}
