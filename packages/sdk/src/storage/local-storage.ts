import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { bodyAsStream, withMappedErrors } from "./storage-body.js";
import { StorageError, type StorageErrorContext } from "./storage-error.js";
import { checkStorageKey, checkStoragePrefix } from "./storage-key.js";
import type { Storage, StorageBody, StorageObjectInfo, StorageWriteOptions } from "./storage.js";

/** Top-level directory for metadata and temporary files; listing skips it and keys may not use it. */
const RESERVED = ".sluice";

interface SideMetadata {
  contentType?: string;
  metadata?: Record<string, string>;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/**
 * Keeps values as files under a directory (default `${SLUICE_HOME}/storage`). A write streams into a
 * temporary file and renames it, so a reader never sees half a value. Content type and metadata live in
 * `.sluice/meta/<key>.json`, outside the keys a listing shows.
 */
export class LocalStorage implements Storage {
  /** The absolute directory holding the files. */
  readonly basePath: string;
  readonly name: string;

  /** `name` is what result references record (default "local"). */
  constructor(basePath: string, options: { name?: string } = {}) {
    this.basePath = resolve(basePath);
    this.name = options.name ?? "local";
  }

  private context(key?: string): StorageErrorContext {
    return { storage: this.name, key };
  }

  /** The file path of a key; throws StorageError (invalid_key) for keys that could escape the directory. */
  pathOf(key: string): string {
    checkStorageKey(key, this.context());
    if (key.split("/")[0] === RESERVED) {
      throw new StorageError("invalid_key", this.context(key), `the "${RESERVED}/" prefix is reserved`);
    }
    return join(this.basePath, key);
  }

  private metaPathOf(key: string): string {
    return join(this.basePath, RESERVED, "meta", `${key}.json`);
  }

  /** Maps a file-system failure; for reads (`reading`), a missing file means the key is missing. */
  private fail(error: unknown, key: string | undefined, reading = true): StorageError {
    if (error instanceof StorageError) return error;
    if (reading && key !== undefined && isMissing(error))
      return new StorageError("key_missing", this.context(key));
    const detail = (error as NodeJS.ErrnoException).code ?? String(error);
    return new StorageError("failed", this.context(key), detail, { cause: error });
  }

  async write(key: string, value: StorageBody, options: StorageWriteOptions = {}): Promise<void> {
    const path = this.pathOf(key);
    const tempDir = join(this.basePath, RESERVED, "tmp");
    const temp = join(tempDir, randomUUID());
    try {
      await mkdir(tempDir, { recursive: true });
      await mkdir(resolve(path, ".."), { recursive: true });
      if (typeof value === "string" || value instanceof Uint8Array) await writeFile(temp, value);
      else await pipeline(bodyAsStream(value), createWriteStream(temp));
      await this.writeMetadata(key, options);
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw this.fail(error, key, false);
    }
  }

  private async writeMetadata(key: string, options: StorageWriteOptions): Promise<void> {
    const metaPath = this.metaPathOf(key);
    if (options.contentType === undefined && options.metadata === undefined) {
      await rm(metaPath, { force: true });
      return;
    }
    const side: SideMetadata = {
      contentType: options.contentType,
      metadata: lowercaseKeys(options.metadata),
    };
    await mkdir(resolve(metaPath, ".."), { recursive: true });
    await writeFile(metaPath, JSON.stringify(side));
  }

  async read(key: string): Promise<Uint8Array> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      throw this.fail(error, key);
    }
  }

  async readStream(key: string): Promise<Readable> {
    try {
      // Opening first turns a missing file into an error here rather than on the stream.
      const handle = await open(this.pathOf(key), "r");
      return withMappedErrors(handle.createReadStream(), (error) => this.fail(error, key));
    } catch (error) {
      throw this.fail(error, key);
    }
  }

  async stat(key: string): Promise<StorageObjectInfo> {
    try {
      const info = await stat(this.pathOf(key));
      if (!info.isFile()) throw new StorageError("key_missing", this.context(key));
      let side: SideMetadata = {};
      try {
        side = JSON.parse(await readFile(this.metaPathOf(key), "utf8")) as SideMetadata;
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
      return {
        key,
        sizeBytes: info.size,
        lastModified: info.mtime,
        contentType: side.contentType,
        metadata: side.metadata ?? {},
      };
    } catch (error) {
      throw this.fail(error, key);
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw this.fail(error, key);
    }
  }

  async list(prefix = ""): Promise<string[]> {
    checkStoragePrefix(prefix, this.context());
    const slash = prefix.lastIndexOf("/");
    const dir = slash < 0 ? "" : prefix.slice(0, slash);
    const keys: string[] = [];
    try {
      await this.walk(dir, prefix, keys);
    } catch (error) {
      throw this.fail(error, undefined);
    }
    return keys.sort();
  }

  private async walk(dir: string, prefix: string, out: string[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir === "" ? this.basePath : join(this.basePath, dir), { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const entry of entries) {
      if (dir === "" && entry.name === RESERVED) continue;
      const key = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) await this.walk(key, prefix, out);
      } else if (entry.isFile() && key.startsWith(prefix)) {
        out.push(key);
      }
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await rm(this.pathOf(key), { force: true });
      await rm(this.metaPathOf(key), { force: true });
    } catch (error) {
      throw this.fail(error, key);
    }
  }
}

/** S3 lowercases user-metadata keys; the local store does the same so both behave alike. */
export function lowercaseKeys(
  metadata: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!metadata) return undefined;
  return Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k.toLowerCase(), v]));
}
