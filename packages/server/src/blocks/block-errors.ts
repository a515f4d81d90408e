import { SluiceError } from "../http/errors.js";
import type { DecryptionError } from "./encryption/keyring.js";

/**
 * 500: a block's data cannot be decrypted with this server's keys (it was sealed under a key the
 * server does not hold, or its bytes fail authentication). Names the block and the keys, never data.
 */
export class EncryptionKeyMismatchError extends SluiceError {
  override readonly name = "EncryptionKeyMismatchError";
  readonly status = 500;

  constructor(block: string, serverKeyIds: readonly string[], cause: DecryptionError) {
    super(
      "encryption_key_mismatch",
      `cannot decrypt block ${block}: ${cause.message}. ` +
        "Start the server with the key that sealed it (SLUICE_ENCRYPTION_KEY, or in " +
        "SLUICE_ENCRYPTION_PREVIOUS_KEYS during a rotation).",
      { block, keyId: cause.keyId, serverKeyIds: [...serverKeyIds], reason: cause.reason },
      { cause },
    );
  }
}
