import type { AppDeps } from "../app-deps.js";
import { isDatabaseUnavailable } from "../http/database-errors.js";
import { countBlocksByKey } from "./block-store.js";
import { installBuiltInBlockTypes } from "./block-type-service.js";

/**
 * At server start: writes the built-in block types, and warns (by count, key ids and a few block
 * names) about blocks sealed under keys this server does not hold, so a wrong or missing key shows
 * in the log at once instead of at the first read.
 */
export async function prepareBlocks(
  deps: Pick<AppDeps, "db" | "clock" | "keyring" | "logger">,
): Promise<void> {
  const { keyring, logger } = deps;
  try {
    await installBuiltInBlockTypes(deps);
  } catch (error) {
    // Started with --no-migrate on a database without the tables, or one that is down: requests
    // say so (503), and the block routes install the types at their first use.
    if ((error as { code?: unknown }).code === "42P01") {
      logger.warn("block types not installed: the database schema is not migrated (`sluice db upgrade`)");
      return;
    }
    if (isDatabaseUnavailable(error)) {
      logger.warn("block types not installed yet: the database is unavailable");
      return;
    }
    throw error;
  }
  const unreadable = (await countBlocksByKey(deps.db.db)).filter((group) => !keyring.has(group.keyId));
  const count = unreadable.reduce((sum, group) => sum + group.count, 0);
  if (count === 0) return;
  logger.warn(`${count} block${count === 1 ? "" : "s"} cannot be decrypted with this server's keys`, {
    count,
    blockKeyIds: unreadable.map((group) => group.keyId),
    serverKeyIds: keyring.keyIds,
    examples: unreadable.flatMap((group) => group.sample).slice(0, 5),
    hint: "start the server with the key that sealed them (SLUICE_ENCRYPTION_KEY or SLUICE_ENCRYPTION_PREVIOUS_KEYS)",
  });
}
