import { createHash, randomBytes } from "node:crypto";
import { inspect } from "node:util";

/** AES-256 keys are 32 bytes. */
export const KEY_BYTES = 32;

/** Thrown for text that is not a key; the message never repeats the text, which may be a real key. */
export class InvalidEncryptionKeyError extends Error {
  override readonly name = "InvalidEncryptionKeyError";
}

/**
 * A 256-bit block encryption key and its id (a fingerprint). The bytes are private and the object
 * prints and serialises as its id only, so a key in a config object or a log line never leaks.
 */
export class EncryptionKey {
  /** First 16 hex characters of the key's SHA-256: names the key in the database and in errors. */
  readonly id: string;
  readonly #bytes: Buffer;

  constructor(bytes: Buffer) {
    if (bytes.length !== KEY_BYTES) {
      throw new InvalidEncryptionKeyError(`an encryption key is ${KEY_BYTES} bytes`);
    }
    this.#bytes = Buffer.from(bytes);
    this.id = createHash("sha256").update(this.#bytes).digest("hex").slice(0, 16);
  }

  /** The raw key, for the cipher only. */
  bytes(): Buffer {
    return this.#bytes;
  }

  /** The key as base64 text, the form written to key files and SLUICE_ENCRYPTION_KEY. */
  toBase64(): string {
    return this.#bytes.toString("base64");
  }

  toJSON(): { id: string } {
    return { id: this.id };
  }

  toString(): string {
    return `EncryptionKey(${this.id})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/]{43}=$/;
const BASE64URL_KEY = /^[A-Za-z0-9_-]{43}=?$/;

/** What a key must look like, for error messages. */
export const KEY_FORMAT = `${KEY_BYTES} bytes as base64 (for example \`openssl rand -base64 32\`) or 64 hex characters`;

/** Parses a key written as base64 (or base64url) of 32 bytes, or 64 hex characters; surrounding whitespace is ignored. */
export function parseEncryptionKey(text: string): EncryptionKey {
  const trimmed = text.trim();
  if (HEX_KEY.test(trimmed)) return new EncryptionKey(Buffer.from(trimmed, "hex"));
  if (BASE64_KEY.test(trimmed)) return new EncryptionKey(Buffer.from(trimmed, "base64"));
  if (BASE64URL_KEY.test(trimmed)) return new EncryptionKey(Buffer.from(trimmed, "base64url"));
  throw new InvalidEncryptionKeyError(`expected ${KEY_FORMAT}`);
}

/** Parses a comma-separated list of keys (SLUICE_ENCRYPTION_PREVIOUS_KEYS); empty entries are skipped. */
export function parseEncryptionKeyList(text: string): EncryptionKey[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part, index) => {
      try {
        return parseEncryptionKey(part);
      } catch (error) {
        if (!(error instanceof InvalidEncryptionKeyError)) throw error;
        throw new InvalidEncryptionKeyError(`entry ${index + 1}: ${error.message}`);
      }
    });
}

/** A new random key. */
export function generateEncryptionKey(): EncryptionKey {
  return new EncryptionKey(randomBytes(KEY_BYTES));
}
