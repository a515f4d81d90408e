import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { EncryptionKey } from "./encryption-key.js";

const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Encrypted bytes with what is needed to open them: the IV, the GCM tag and the id of the key. */
export interface Sealed {
  readonly ciphertext: Buffer;
  readonly iv: Buffer;
  readonly authTag: Buffer;
  readonly keyId: string;
}

/** Why sealed bytes could not be opened: the key is not in the keyring, or the data failed authentication. */
export class DecryptionError extends Error {
  override readonly name = "DecryptionError";
  constructor(
    readonly reason: "unknown_key" | "authentication_failed",
    readonly keyId: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The keys a process holds: one primary key that encrypts, and older keys that only decrypt (kept
 * during a rotation). AES-256-GCM with a random 12-byte IV per message; the associated data binds a
 * ciphertext to its owner (a block's id), so it cannot be copied onto another row.
 */
export class Keyring {
  readonly #keys = new Map<string, EncryptionKey>();

  constructor(
    readonly primary: EncryptionKey,
    decryptOnly: readonly EncryptionKey[] = [],
  ) {
    for (const key of [primary, ...decryptOnly]) {
      if (!this.#keys.has(key.id)) this.#keys.set(key.id, key);
    }
  }

  /** Ids of every key held, the primary first. */
  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  /** True when this keyring can open data sealed under `keyId`. */
  has(keyId: string): boolean {
    return this.#keys.has(keyId);
  }

  /** Encrypts `plaintext` under the primary key, bound to `associatedData`. */
  seal(plaintext: string, associatedData: string, key: EncryptionKey = this.primary): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key.bytes(), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, "utf8"));
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return { ciphertext, iv, authTag: cipher.getAuthTag(), keyId: key.id };
  }

  /** Decrypts `sealed` with the key it names; throws DecryptionError (never with any plaintext). */
  open(sealed: Sealed, associatedData: string): string {
    const key = this.#keys.get(sealed.keyId);
    if (!key) {
      throw new DecryptionError(
        "unknown_key",
        sealed.keyId,
        `encrypted under key ${sealed.keyId}, which is not among the keys held (${this.keyIds.join(", ")})`,
      );
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key.bytes(), sealed.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(associatedData, "utf8"));
      decipher.setAuthTag(sealed.authTag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString("utf8");
    } catch {
      // GCM reports a wrong key and altered bytes alike ("unable to authenticate data"); say which key was tried.
      throw new DecryptionError(
        "authentication_failed",
        sealed.keyId,
        `failed authentication under key ${sealed.keyId}: the stored bytes were altered or belong to another block`,
      );
    }
  }
}
