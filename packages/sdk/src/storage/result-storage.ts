import { join } from "node:path";
import type { Readable } from "node:stream";
import { createClient, type SluiceClient } from "@sluice/client";
import { getSdkSettings } from "../settings/sdk-settings.js";
import { LocalStorage } from "./local-storage.js";
import { StorageError } from "./storage-error.js";
import { loadStorageBlock, parseStorageBlockRef } from "./storage-from-block.js";
import type { ResultStore, Storage, StorageBody, StorageObjectInfo, StorageWriteOptions } from "./storage.js";

/** Where results go: "local", a storage block `TYPE/NAME` ("s3-bucket/results"), or a store object. */
export type ResultStorage = string | ResultStore;

/**
 * A storage block used before it is loaded: named by its reference at once, loaded through the API
 * on first use (once per process), so choosing it costs nothing when no result is written.
 */
class BlockStorage implements Storage {
  constructor(
    readonly name: string,
    private readonly load: () => Promise<Storage>,
  ) {}

  async write(key: string, value: StorageBody, options?: StorageWriteOptions): Promise<void> {
    return (await this.load()).write(key, value, options);
  }
  async read(key: string): Promise<Uint8Array> {
    return (await this.load()).read(key);
  }
  async readStream(key: string): Promise<Readable> {
    return (await this.load()).readStream(key);
  }
  async stat(key: string): Promise<StorageObjectInfo> {
    return (await this.load()).stat(key);
  }
  async exists(key: string): Promise<boolean> {
    return (await this.load()).exists(key);
  }
  async list(prefix?: string): Promise<string[]> {
    return (await this.load()).list(prefix);
  }
  async delete(key: string): Promise<void> {
    return (await this.load()).delete(key);
  }
}

/** The default local storage, `${SLUICE_HOME}/storage`. */
export function defaultLocalStorage(): LocalStorage {
  return new LocalStorage(join(getSdkSettings().home, "storage"));
}

/** A client for loading blocks when no run session supplies one: SLUICE_API_URL. */
function settingsClient(ref: string): SluiceClient {
  const { apiUrl, apiKey } = getSdkSettings();
  if (!apiUrl) {
    throw new StorageError(
      "failed",
      { storage: ref },
      "cannot load the block: no Sluice API (set SLUICE_API_URL)",
    );
  }
  return createClient({ baseUrl: apiUrl, apiKey });
}

/**
 * The storage a reference names: "local" for `${SLUICE_HOME}/storage`, or a storage block loaded
 * through `client` (default: a client for SLUICE_API_URL). Throws StorageError for a bad reference.
 */
export function storageFromRef(ref: string, client?: SluiceClient): Storage {
  if (ref === "local") return defaultLocalStorage();
  parseStorageBlockRef(ref);
  return new BlockStorage(ref, () => loadStorageBlock(client ?? settingsClient(ref), ref));
}

/** A flow or task option (a reference or a store) as a store. */
export function resolveResultStorage(option: ResultStorage, client?: SluiceClient): ResultStore {
  return typeof option === "string" ? storageFromRef(option, client) : option;
}
