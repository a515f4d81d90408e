import type { Database } from "../db/database.js";
import { openBlockData, sealBlockData } from "./block-sealing.js";
import { lockAllBlocks, updateSealedData } from "./block-store.js";
import type { EncryptionKey } from "./encryption/encryption-key.js";
import type { Keyring } from "./encryption/keyring.js";

/** What a key rotation did. */
export interface KeyRotationSummary {
  /** Blocks now sealed under the new key. */
  readonly reEncrypted: number;
  /** How many blocks each key had sealed before, by key id. */
  readonly previousKeys: Readonly<Record<string, number>>;
  readonly newKeyId: string;
}

/**
 * Re-encrypts every block under `newKey` in one transaction, holding the blocks table against writes
 * meanwhile: either all blocks move to the new key or none do. A block the keyring cannot open aborts
 * the whole rotation (EncryptionKeyMismatchError names it). `beforeCommit` runs last inside the
 * transaction, so the new key can be saved before any row depends on it; if it throws, nothing changes.
 */
export async function reencryptBlocks(
  database: Database,
  keyring: Keyring,
  newKey: EncryptionKey,
  beforeCommit: () => void | Promise<void> = () => undefined,
): Promise<KeyRotationSummary> {
  return database.db.transaction().execute(async (trx) => {
    const blocks = await lockAllBlocks(trx);
    const previousKeys: Record<string, number> = {};
    for (const block of blocks) {
      const data = openBlockData(keyring, block);
      previousKeys[block.sealed.keyId] = (previousKeys[block.sealed.keyId] ?? 0) + 1;
      // The updated time stays: a rotation changes how the data is stored, not the data.
      await updateSealedData(trx, block.id, sealBlockData(keyring, block.id, data, newKey));
    }
    await beforeCommit();
    return { reEncrypted: blocks.length, previousKeys, newKeyId: newKey.id };
  });
}
