import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { randomUUID } from "node:crypto";

/**
 * Where results and the cache index are kept. Keys are relative, slash-separated paths
 * ("results/<id>.json", "cache/<key>.json"). An S3-backed store implements the same interface.
 */
export interface ResultStore {
  /** Names this store in result references ("local", or a storage block's name). */
  readonly name: string;
  /** Writes bytes (or text) under a key, replacing any previous value. */
  write(key: string, value: Uint8Array | string): Promise<void>;
  /** Reads the bytes under a key; throws when absent. */
  read(key: string): Promise<Uint8Array>;
  /** True when a value exists under the key. */
  exists(key: string): Promise<boolean>;
}

/** A key that would leave the store's directory, or is otherwise unusable. */
export class InvalidResultKeyError extends Error {
  override readonly name = "InvalidResultKeyError";
}

/** Stores results as files under a directory (default `${SLUICE_HOME}/storage`). */
export class LocalResultStore implements ResultStore {
  readonly name = "local";
  /** The absolute directory holding the files. */
  readonly basePath: string;

  constructor(basePath: string) {
    this.basePath = resolve(basePath);
  }

  /** The file path of a key; throws InvalidResultKeyError when the key would escape the directory. */
  pathOf(key: string): string {
    if (key === "" || key.includes("\0") || key.includes("\\") || isAbsolute(key)) {
      throw new InvalidResultKeyError(`invalid result key ${JSON.stringify(key)}`);
    }
    const path = resolve(join(this.basePath, key));
    const rel = relative(this.basePath, path);
    if (rel === "" || rel.startsWith(`..${sep}`) || rel === ".." || isAbsolute(rel)) {
      throw new InvalidResultKeyError(`result key ${JSON.stringify(key)} escapes the store directory`);
    }
    return path;
  }

  async write(key: string, value: Uint8Array | string): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    // Write then rename, so a reader never sees a half-written file.
    const temp = `${path}.${randomUUID()}.tmp`;
    await writeFile(temp, value);
    await rename(temp, path);
  }

  async read(key: string): Promise<Uint8Array> {
    return readFile(this.pathOf(key));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await stat(this.pathOf(key));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
  }
}
