import { z } from "zod";
import { PageRequest, Page, Timestamp } from "./common.js";

/** Artifact kinds. A link is stored as its own kind so the UI can render it as one. */
export const ArtifactType = z.enum(["markdown", "table", "link", "progress"]);
export type ArtifactType = z.infer<typeof ArtifactType>;

/** Artifact keys: lowercase letters, digits and dashes; artifacts sharing a key are versions of one. */
export const ArtifactKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[a-z0-9-]+$/, "artifact keys use lowercase letters, digits and dashes only");

/** Payload shapes, one per artifact type. */
export const MarkdownData = z.object({ markdown: z.string().max(1_000_000) });
export const TableData = z.object({
  columns: z.array(z.string()).max(500),
  rows: z.array(z.array(z.unknown())).max(100_000),
});
export const LinkData = z.object({ url: z.string().min(1).max(4000), text: z.string().max(500).optional() });
export const ProgressData = z.object({ progress: z.number().min(0).max(100) });

/** An artifact: a human-readable output of a run (markdown, table, link or progress). */
export const Artifact = z.object({
  id: z.uuid(),
  key: ArtifactKey.nullable(),
  type: ArtifactType,
  description: z.string().nullable(),
  data: z.unknown(),
  flowRunId: z.uuid().nullable(),
  taskRunId: z.uuid().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Artifact = z.infer<typeof Artifact>;

const base = {
  id: z.uuid().optional(),
  key: ArtifactKey.nullable().optional(),
  description: z.string().max(10_000).nullable().optional(),
  flowRunId: z.uuid().nullable().optional(),
  taskRunId: z.uuid().nullable().optional(),
};

/** Creates an artifact; the data must match the type. */
export const ArtifactCreate = z.discriminatedUnion("type", [
  z.object({ ...base, type: z.literal("markdown"), data: MarkdownData }),
  z.object({ ...base, type: z.literal("table"), data: TableData }),
  z.object({ ...base, type: z.literal("link"), data: LinkData }),
  z.object({ ...base, type: z.literal("progress"), data: ProgressData }),
]);
export type ArtifactCreate = z.input<typeof ArtifactCreate>;

/** Updates a progress artifact's value or any artifact's description. */
export const ArtifactUpdate = z.object({
  data: ProgressData.optional(),
  description: z.string().max(10_000).nullable().optional(),
});
export type ArtifactUpdate = z.input<typeof ArtifactUpdate>;

/** Filter for listing artifacts. `latestOnly` keeps only the newest version per key. */
export const ArtifactFilter = PageRequest.extend({
  key: ArtifactKey.optional(),
  flowRunId: z.uuid().optional(),
  taskRunId: z.uuid().optional(),
  types: z.array(ArtifactType).optional(),
  latestOnly: z.boolean().default(false),
  createdAt: z.object({ after: Timestamp.optional(), before: Timestamp.optional() }).optional(),
  sort: z.enum(["CREATED_DESC", "CREATED_ASC"]).default("CREATED_DESC"),
});
export type ArtifactFilter = z.input<typeof ArtifactFilter>;

export const ArtifactPage = Page(Artifact);
export type ArtifactPage = z.infer<typeof ArtifactPage>;

/**
 * The newest artifact of each key, keys in name order, a page at a time (keyless artifacts have no
 * versions and are left out).
 */
export const ArtifactKeyFilter = PageRequest;
export type ArtifactKeyFilter = z.input<typeof ArtifactKeyFilter>;
