import type { StoredBlock } from "./block-store.js";
import { EncryptionKeyMismatchError } from "./block-errors.js";
import type { EncryptionKey } from "./encryption/encryption-key.js";
import { DecryptionError, type Keyring, type Sealed } from "./encryption/keyring.js";

/** The associated data of a block's ciphertext: binds it to the block's id. */
function associatedData(blockId: string): string {
  return `sluice-block:${blockId}`;
}

/** Encrypts a block's whole data (as JSON) under the keyring's primary key, or `key` when given. */
export function sealBlockData(
  keyring: Keyring,
  blockId: string,
  data: Record<string, unknown>,
  key?: EncryptionKey,
): Sealed {
  return keyring.seal(JSON.stringify(data), associatedData(blockId), key);
}

/** Decrypts a stored block's data; EncryptionKeyMismatchError names the block and the keys when it cannot. */
export function openBlockData(keyring: Keyring, block: StoredBlock): Record<string, unknown> {
  let text: string;
  try {
    text = keyring.open(block.sealed, associatedData(block.id));
  } catch (error) {
    if (!(error instanceof DecryptionError)) throw error;
    throw new EncryptionKeyMismatchError(`${block.blockType}/${block.name}`, keyring.keyIds, error);
  }
  return JSON.parse(text) as Record<string, unknown>;
}
