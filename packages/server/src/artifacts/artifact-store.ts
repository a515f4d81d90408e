import type { Artifact, ArtifactFilter, ArtifactType } from "@sluice/contracts";
import { sql, type Kysely, type Updateable } from "kysely";
import { applyKeyset, decodeCursor, toPage, type SortOrder } from "../db/keyset.js";
import type { ArtifactRow, ArtifactsTable, Tables } from "../db/tables.js";

type Db = Kysely<Tables>;
type Sort = NonNullable<ArtifactFilter["sort"]>;

const SORTS: Record<Sort, SortOrder> = {
  CREATED_DESC: {
    name: "CREATED_DESC",
    column: "a.created_at",
    idColumn: "a.id",
    direction: "desc",
    kind: "timestamp",
  },
  CREATED_ASC: {
    name: "CREATED_ASC",
    column: "a.created_at",
    idColumn: "a.id",
    direction: "asc",
    kind: "timestamp",
  },
};

/** Inserts an artifact (a new version when its key exists); returns it. */
export async function insertArtifact(db: Db, artifact: Artifact): Promise<Artifact> {
  const row = await db
    .insertInto("artifacts")
    .values({
      id: artifact.id,
      key: artifact.key,
      type: artifact.type,
      description: artifact.description,
      data: JSON.stringify(artifact.data),
      flow_run_id: artifact.flowRunId,
      task_run_id: artifact.taskRunId,
      created_at: artifact.createdAt,
      updated_at: artifact.updatedAt,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ? toArtifact(row) : ((await findArtifact(db, artifact.id)) as Artifact);
}

/** The artifact with this id, or undefined. */
export async function findArtifact(db: Db, id: string): Promise<Artifact | undefined> {
  const row = await db.selectFrom("artifacts").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toArtifact(row);
}

/** The newest version of the artifact with this key, or undefined. */
export async function findLatestArtifact(db: Db, key: string): Promise<Artifact | undefined> {
  const row = await db
    .selectFrom("artifacts")
    .selectAll()
    .where("key", "=", key)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row && toArtifact(row);
}

/** Updates an artifact's columns; returns it, or undefined when it does not exist. */
export async function updateArtifact(db: Db, id: string, updates: Updateable<ArtifactsTable>) {
  const row = await db
    .updateTable("artifacts")
    .set(updates)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
  return row && toArtifact(row);
}

/** A page of artifacts; with `latestOnly`, only the newest version of each key. */
export async function listArtifacts(db: Db, filter: ArtifactFilter & { limit: number; sort: Sort }) {
  const sort = SORTS[filter.sort];
  let source = db.selectFrom("artifacts").selectAll();
  if (filter.key) source = source.where("key", "=", filter.key);
  if (filter.flowRunId) source = source.where("flow_run_id", "=", filter.flowRunId);
  if (filter.taskRunId) source = source.where("task_run_id", "=", filter.taskRunId);
  if (filter.types) source = source.where(sql<boolean>`type = any(${filter.types}::text[])`);
  if (filter.createdAt?.after) source = source.where("created_at", ">=", new Date(filter.createdAt.after));
  if (filter.createdAt?.before) source = source.where("created_at", "<=", new Date(filter.createdAt.before));
  if (filter.latestOnly) {
    // Keyless artifacts have no versions: each is its own latest.
    const versionKey = sql`coalesce(key, id::text)`;
    source = source
      .distinctOn(versionKey)
      .orderBy(versionKey)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc");
  }
  const query = db.selectFrom(source.as("a")).selectAll("a");
  const rows = await applyKeyset(query, sort, filter.cursor, filter.limit).execute();
  return toPage(
    rows,
    filter.limit,
    sort,
    (row) => row.created_at,
    (row) => row.id,
    toArtifact,
  );
}

const BY_KEY: SortOrder = { name: "KEY_ASC", column: "key", idColumn: "id", direction: "asc", kind: "text" };

/**
 * The newest artifact of each key, keys ascending, after `cursor`. A loose index scan over
 * artifacts_key_idx: each step of the recursion jumps to the next key, then one lookup per key
 * finds its newest version, so a page costs about 2 × limit index probes however many versions
 * the keys have.
 */
export async function listLatestByKey(db: Db, filter: { limit: number; cursor?: string | undefined }) {
  const after = filter.cursor === undefined ? null : decodeCursor(BY_KEY, filter.cursor)[1];
  const first = after === null ? sql`key is not null` : sql`key > ${after}`;
  const result = await sql<ArtifactRow>`
with recursive next_key (key, n) as (
  (select key, 1 from artifacts where ${first} order by key limit 1)
  union all
  select (select a.key from artifacts a where a.key > k.key order by a.key limit 1), k.n + 1
  from next_key k
  where k.key is not null and k.n <= ${filter.limit}
)
select latest.* from next_key k
cross join lateral (
  select * from artifacts a where a.key = k.key order by a.created_at desc, a.id desc limit 1
) latest
order by latest.key`.execute(db);
  return toPage(
    result.rows,
    filter.limit,
    BY_KEY,
    (row) => row.key ?? "",
    (row) => row.id,
    toArtifact,
  );
}

function toArtifact(row: ArtifactRow): Artifact {
  return {
    id: row.id,
    key: row.key,
    type: row.type as ArtifactType,
    description: row.description,
    data: row.data,
    flowRunId: row.flow_run_id,
    taskRunId: row.task_run_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
