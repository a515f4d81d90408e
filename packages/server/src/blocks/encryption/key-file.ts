import { randomBytes } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { InvalidEncryptionKeyError, parseEncryptionKey, type EncryptionKey } from "./encryption-key.js";

/** The embedded server's key file in SLUICE_HOME. */
export const KEY_FILE_NAME = "encryption.key";
/** Where `sluice block rotate-key` writes the new key before its transaction commits. */
export const NEXT_KEY_FILE_NAME = "encryption.key.next";

/** `${home}/encryption.key`. */
export const keyFilePath = (home: string): string => join(home, KEY_FILE_NAME);
/** `${home}/encryption.key.next`. */
export const nextKeyFilePath = (home: string): string => join(home, NEXT_KEY_FILE_NAME);

/** A key file that cannot be used: unsafe permissions, unreadable, not a key, or already there. */
export class KeyFileError extends Error {
  override readonly name = "KeyFileError";
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Reads the key in `path`, or undefined when there is no such file; refuses a file other users can access. */
export function readKeyFile(path: string): EncryptionKey | undefined {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new KeyFileError(`cannot read the encryption key file ${path}: ${(error as Error).message}`, path, {
      cause: error,
    });
  }
  // POSIX permission bits mean nothing on Windows, where access is governed by ACLs.
  if (process.platform !== "win32" && (mode & 0o077) !== 0) {
    throw new KeyFileError(
      `the encryption key file ${path} is accessible by other users (mode ${(mode & 0o777).toString(8)}); ` +
        `restrict it with \`chmod 600 ${path}\` and start again`,
      path,
    );
  }
  try {
    return parseEncryptionKey(readFileSync(path, "utf8"));
  } catch (error) {
    const why = error instanceof InvalidEncryptionKeyError ? error.message : (error as Error).message;
    throw new KeyFileError(`the encryption key file ${path} does not hold a key: ${why}`, path, {
      cause: error,
    });
  }
}

/**
 * Writes `key` to `path` with mode 0600, failing when the file exists. The key is written to a
 * private temporary file first and then hard-linked into place, so a concurrent reader sees either
 * no file or the whole key, and of two processes racing to create it exactly one wins.
 */
export function writeKeyFileExclusive(path: string, key: EncryptionKey): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const fd = openSync(temporary, "wx", 0o600);
  try {
    writeSync(fd, `${key.toBase64()}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new KeyFileError(`${path} already exists; refusing to overwrite a key file`, path, {
        cause: error,
      });
    }
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

/** The embedded server's keys: the key file's key (created on first start) and a pending rotation's key. */
export interface EmbeddedKeys {
  readonly primary: EncryptionKey;
  /** The key in encryption.key.next, left by a rotation that may have committed: decrypt-only. */
  readonly next: EncryptionKey | undefined;
  /** True when this call generated the key file. */
  readonly created: boolean;
}

/** Reads `${home}/encryption.key`, creating it with `generate()` when missing, and the pending `.next` key. */
export function loadOrCreateKeyFile(home: string, generate: () => EncryptionKey): EmbeddedKeys {
  const path = keyFilePath(home);
  let primary = readKeyFile(path);
  let created = false;
  if (!primary) {
    try {
      writeKeyFileExclusive(path, generate());
      created = true;
    } catch (error) {
      // Another process created it first: use theirs.
      if (!(error instanceof KeyFileError)) throw error;
    }
    primary = readKeyFile(path);
    if (!primary) throw new KeyFileError(`the encryption key file ${path} vanished while starting`, path);
  }
  return { primary, next: readKeyFile(nextKeyFilePath(home)), created };
}
