import { z } from "zod";
import { Page, PageRequest, Timestamp } from "./common.js";

/** What the API shows in place of a secret field's value. */
export const SECRET_MASK = "********";

/** A block type's slug: lowercase letters, digits and dashes ("s3-bucket"). */
export const BlockTypeSlug = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "block type slugs use lowercase letters, digits and single dashes");

/** A block's name: lowercase letters, digits and dashes, so it reads well in templates. */
export const BlockName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "block names use lowercase letters, digits and single dashes");

/** A dotted path to a field of a block's data ("credentials.secretAccessKey"). */
export const BlockFieldPath = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, "expected a dotted field path");

/** A JSON Schema (draft 2020-12) describing a block type's data; it must describe an object. */
export const BlockSchema = z
  .record(z.string(), z.unknown())
  .refine((schema) => schema.type === "object", { message: 'a block schema must have "type": "object"' });

/** A kind of block: its schema and which fields are secret. */
export const BlockType = z.object({
  id: z.uuid(),
  slug: BlockTypeSlug,
  /** A human-readable name ("S3 bucket"). */
  name: z.string(),
  description: z.string(),
  schema: BlockSchema,
  /** Dotted paths of the fields stored encrypted and masked in responses. */
  secretFields: z.array(BlockFieldPath),
  /** Built-in types ship with the server and cannot be changed or deleted. */
  builtIn: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type BlockType = z.infer<typeof BlockType>;

/** Registers (or updates) a custom block type. */
export const BlockTypeUpsert = z.strictObject({
  name: z.string().min(1).max(255).optional(),
  description: z.string().max(5000).default(""),
  schema: BlockSchema,
  secretFields: z.array(BlockFieldPath).max(100).default([]),
});
export type BlockTypeUpsert = z.input<typeof BlockTypeUpsert>;

export const BlockTypeParams = z.object({ slug: BlockTypeSlug });
export const BlockTypeList = z.object({ items: z.array(BlockType) });
export type BlockTypeList = z.infer<typeof BlockTypeList>;

/** A named instance of a block type. Secret fields hold SECRET_MASK unless secrets were asked for. */
export const Block = z.object({
  id: z.uuid(),
  name: BlockName,
  blockType: BlockTypeSlug,
  data: z.record(z.string(), z.unknown()),
  /** Dotted paths of the secret fields (copied from the type). */
  secretFields: z.array(BlockFieldPath),
  /** True when `data` holds the real secret values. */
  secretsIncluded: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Block = z.infer<typeof Block>;

/**
 * Saves a block. Refused with 409 when it exists, unless `overwrite`. On overwrite a secret
 * field sent as SECRET_MASK keeps its stored value, so a read-edit-save round trip loses nothing.
 */
export const BlockSave = z.strictObject({
  data: z.record(z.string(), z.unknown()),
  overwrite: z.boolean().default(false),
});
export type BlockSave = z.input<typeof BlockSave>;

export const BlockParams = z.object({ type: BlockTypeSlug, name: BlockName });

/** `includeSecrets=true` returns secret values in the clear; it needs the admin scope. */
export const BlockReadQuery = z.object({
  includeSecrets: z
    .enum(["true", "false"])
    .optional()
    .transform((value) => value === "true"),
});

export const BlockFilter = PageRequest.extend({
  blockType: BlockTypeSlug.optional(),
  /** Case-insensitive substring of the name. */
  nameLike: z.string().max(255).optional(),
});
export type BlockFilter = z.input<typeof BlockFilter>;
export const BlockPage = Page(Block);
export type BlockPage = z.infer<typeof BlockPage>;
