import type { Block, BlockFilter, BlockPage, BlockSave, BlockType } from "@sluice/contracts";
import type { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { ConflictError, NotFoundError, ValidationError } from "../http/errors.js";
import { newId } from "../ids.js";
import { maskSecrets, restoreMaskedSecrets } from "./block-data.js";
import { EncryptionKeyMismatchError } from "./block-errors.js";
import { checkBlockData } from "./block-schema.js";
import { openBlockData, sealBlockData } from "./block-sealing.js";
import * as store from "./block-store.js";
import type { BlockTypeService } from "./block-type-service.js";

type Deps = Pick<AppDeps, "db" | "clock" | "keyring" | "logger">;

/** Block use cases: save (create, or overwrite keeping masked secrets), read, delete, list. */
export function createBlockService({ db, clock, keyring, logger }: Deps, types: BlockTypeService) {
  const notFound = (type: string, name: string) =>
    new NotFoundError("block_not_found", `no block ${type}/${name}`, { blockType: type, name });

  /** Opens a block's data; logs a failure by block and key id only (never data). */
  const open = (block: store.StoredBlock): Record<string, unknown> => {
    try {
      return openBlockData(keyring, block);
    } catch (error) {
      if (error instanceof EncryptionKeyMismatchError) {
        logger.error("cannot decrypt block", { ...error.context });
      }
      throw error;
    }
  };

  const toBlock = (
    block: store.StoredBlock,
    data: Record<string, unknown>,
    includeSecrets: boolean,
  ): Block => ({
    id: block.id,
    name: block.name,
    blockType: block.blockType,
    data: includeSecrets ? data : maskSecrets(data, block.secretFields),
    secretFields: block.secretFields,
    secretsIncluded: includeSecrets,
    createdAt: block.createdAt.toISOString(),
    updatedAt: block.updatedAt.toISOString(),
  });

  const checkData = (type: BlockType, name: string, data: Record<string, unknown>) => {
    const issues = checkBlockData(type, data);
    if (issues.length === 0) return;
    const first = issues[0]!;
    throw new ValidationError(
      "validation_failed",
      `invalid data for block ${type.slug}/${name}: ${first.path}: ${first.message}`,
      issues,
    );
  };

  return {
    async save(slug: string, name: string, input: z.output<typeof BlockSave>): Promise<Block> {
      const type = await types.read(slug);
      const now = clock.now();
      return db.db.transaction().execute(async (trx) => {
        const existing = await store.findBlock(trx, type.id, name, { forUpdate: true });
        if (existing && !input.overwrite) {
          throw new ConflictError(
            "block_exists",
            `block ${slug}/${name} exists; save with overwrite (\`--overwrite\`) to replace its data`,
            { blockType: slug, name },
          );
        }
        const stored = existing ? open(existing) : undefined;
        const restored = restoreMaskedSecrets(input.data, stored, type.secretFields);
        if (restored.issues.length > 0) {
          throw new ValidationError(
            "validation_failed",
            `invalid data for block ${slug}/${name}: ${restored.issues[0]!.path}: ${restored.issues[0]!.message}`,
            restored.issues,
          );
        }
        checkData(type, name, restored.data);
        const id = existing?.id ?? newId(now.getTime());
        const sealed = sealBlockData(keyring, id, restored.data);
        if (existing) {
          await store.updateSealedData(trx, id, sealed, now);
        } else if (!(await store.insertBlock(trx, { id, typeId: type.id, name, sealed, now }))) {
          throw new ConflictError("block_exists", `block ${slug}/${name} was created meanwhile`, {
            blockType: slug,
            name,
          });
        }
        const saved = {
          id,
          name,
          blockType: slug,
          secretFields: type.secretFields,
          sealed,
          createdAt: existing?.createdAt ?? now,
          updatedAt: now,
        };
        return toBlock(saved, restored.data, false);
      });
    },
    async read(slug: string, name: string, includeSecrets: boolean): Promise<Block> {
      const type = await types.read(slug);
      const block = await store.findBlock(db.db, type.id, name);
      if (!block) throw notFound(slug, name);
      return toBlock(block, open(block), includeSecrets);
    },
    async delete(slug: string, name: string): Promise<Record<string, never>> {
      const type = await types.read(slug);
      if (!(await store.deleteBlock(db.db, type.id, name))) throw notFound(slug, name);
      return {};
    },
    async list(filter: z.output<typeof BlockFilter>): Promise<BlockPage> {
      const typeId = filter.blockType ? (await types.read(filter.blockType)).id : undefined;
      const page = await store.listBlocks(db.db, { ...filter, typeId });
      return { ...page, items: page.items.map((block) => toBlock(block, open(block), false)) };
    },
  };
}

/** The block use cases. */
export type BlockService = ReturnType<typeof createBlockService>;
