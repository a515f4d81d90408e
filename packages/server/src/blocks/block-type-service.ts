import {
  BUILT_IN_BLOCK_TYPES,
  blockJsonSchema,
  type BlockType,
  type BlockTypeList,
  type BlockTypeUpsert,
} from "@sluice/contracts";
import type { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { ConflictError, NotFoundError, ValidationError } from "../http/errors.js";
import { newId } from "../ids.js";
import { checkTypeDefinition } from "./block-schema.js";
import * as store from "./block-type-store.js";

const BUILT_IN_SLUGS = new Set<string>(BUILT_IN_BLOCK_TYPES.map((t) => t.slug));

/** 404 naming the slug. */
export function blockTypeNotFound(slug: string): NotFoundError {
  return new NotFoundError(
    "block_type_not_found",
    `no block type "${slug}" (\`sluice block type ls\` lists them)`,
    { slug },
  );
}

function builtInRefused(slug: string, action: string): ConflictError {
  return new ConflictError(
    "block_type_built_in",
    `block type "${slug}" is built in; it cannot be ${action}`,
    { slug },
  );
}

/** Writes the built-in types from code into the database (idempotent; safe with several servers). */
export async function installBuiltInBlockTypes({ db, clock }: Pick<AppDeps, "db" | "clock">): Promise<void> {
  const now = clock.now();
  await store.upsertBuiltInTypes(
    db.db,
    BUILT_IN_BLOCK_TYPES.map((type) => ({
      id: newId(now.getTime()),
      slug: type.slug,
      name: type.name,
      description: type.description,
      schema: blockJsonSchema(type.schema),
      secretFields: type.secretFields,
      now,
    })),
  );
}

/** Block type use cases: list, read, register or update a custom type, delete an unused custom type. */
export function createBlockTypeService(deps: Pick<AppDeps, "db" | "clock">) {
  const { db, clock } = deps;
  // Installed at server start; done again once here so a server started before `sluice db upgrade`
  // created the tables still gets them. Retried on the next request after a failure.
  let installed: Promise<void> | undefined;
  const ready = async (): Promise<void> => {
    installed ??= installBuiltInBlockTypes(deps).catch((error: unknown) => {
      installed = undefined;
      throw error;
    });
    await installed;
  };
  const require = async (slug: string): Promise<BlockType> => {
    await ready();
    const type = await store.findBlockType(db.db, slug);
    if (!type) throw blockTypeNotFound(slug);
    return type;
  };
  return {
    ready,
    /** The type with `slug`; 404 block_type_not_found otherwise. */
    read: require,
    async list(): Promise<BlockTypeList> {
      await ready();
      return { items: await store.listBlockTypes(db.db) };
    },
    async upsert(slug: string, input: z.output<typeof BlockTypeUpsert>): Promise<BlockType> {
      if (BUILT_IN_SLUGS.has(slug)) throw builtInRefused(slug, "changed");
      const issues = checkTypeDefinition(input.schema, input.secretFields);
      if (issues.length > 0) {
        throw new ValidationError(
          "validation_failed",
          `invalid block type ${slug}: ${issues[0]!.path}: ${issues[0]!.message}`,
          issues,
        );
      }
      await ready();
      const now = clock.now();
      const saved = await store.upsertCustomType(db.db, {
        id: newId(now.getTime()),
        slug,
        name: input.name ?? slug,
        description: input.description,
        schema: input.schema,
        secretFields: [...new Set(input.secretFields)],
        now,
      });
      if (!saved) throw builtInRefused(slug, "changed");
      return saved;
    },
    async delete(slug: string): Promise<Record<string, never>> {
      const type = await require(slug);
      if (type.builtIn) throw builtInRefused(slug, "deleted");
      const inUse = await store.countBlocksOfType(db.db, type.id);
      if (inUse > 0) {
        throw new ConflictError(
          "block_type_in_use",
          `block type "${slug}" is used by ${inUse} block${inUse === 1 ? "" : "s"}; delete them first`,
          { slug, blocks: inUse },
        );
      }
      try {
        if (!(await store.deleteCustomType(db.db, type.id))) throw blockTypeNotFound(slug);
      } catch (error) {
        // A block created between the count and the delete: the foreign key refuses, say why.
        if ((error as { code?: unknown }).code === "23503") {
          throw new ConflictError(
            "block_type_in_use",
            `block type "${slug}" is used by a block`,
            { slug },
            { cause: error },
          );
        }
        throw error;
      }
      return {};
    },
  };
}

/** The block type use cases. */
export type BlockTypeService = ReturnType<typeof createBlockTypeService>;
