import { ConfigError } from "../../config.js";
import type { Logger } from "../../logger.js";
import { generateEncryptionKey, type EncryptionKey } from "./encryption-key.js";
import { keyFilePath, loadOrCreateKeyFile } from "./key-file.js";
import { Keyring } from "./keyring.js";

/** Where the server's data lives, which decides where its key may come from. */
export type KeyStorage = "postgres" | "pglite-file" | "pglite-memory";

/** What loadKeyring needs. */
export interface KeyringSettings {
  /** SLUICE_ENCRYPTION_KEY, when set. */
  readonly encryptionKey: EncryptionKey | undefined;
  /** SLUICE_ENCRYPTION_PREVIOUS_KEYS: decrypt-only keys kept during a rotation. */
  readonly previousEncryptionKeys: readonly EncryptionKey[];
  /** SLUICE_HOME, where an embedded server keeps its key file. */
  readonly home: string;
  readonly storage: KeyStorage;
}

/** The message for a PostgreSQL server without a key: what to do, not only what is wrong. */
export const MISSING_KEY_MESSAGE =
  "SLUICE_ENCRYPTION_KEY is required when the server uses PostgreSQL (SLUICE_DATABASE_URL): block data " +
  "is encrypted with it and the key is never stored in the database. Make one with " +
  "`openssl rand -base64 32`, keep it in your secret store, and give the same key to every server.";

/**
 * The server's keyring. SLUICE_ENCRYPTION_KEY wins when set. Otherwise PostgreSQL refuses to start;
 * an embedded server on disk uses `${home}/encryption.key` (generated, mode 0600, on first start)
 * plus the key of a rotation left pending in `encryption.key.next`; an in-memory database, whose
 * blocks die with the process, gets a throwaway key.
 */
export function loadKeyring(settings: KeyringSettings, logger?: Logger): Keyring {
  const previous = settings.previousEncryptionKeys;
  if (settings.encryptionKey) return new Keyring(settings.encryptionKey, previous);
  if (settings.storage === "postgres") {
    throw new ConfigError(MISSING_KEY_MESSAGE, ["SLUICE_ENCRYPTION_KEY"]);
  }
  if (settings.storage === "pglite-memory") return new Keyring(generateEncryptionKey(), previous);
  const keys = loadOrCreateKeyFile(settings.home, generateEncryptionKey);
  if (keys.created) {
    logger?.info("generated the block encryption key", {
      path: keyFilePath(settings.home),
      keyId: keys.primary.id,
    });
  }
  return new Keyring(keys.primary, [...(keys.next ? [keys.next] : []), ...previous]);
}
