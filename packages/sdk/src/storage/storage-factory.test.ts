import { describe, expect, it } from "vitest";
import { LocalStorage } from "./local-storage.js";
import { storageFromRef } from "./result-storage.js";
import { S3Storage } from "./s3-storage.js";
import { StorageError } from "./storage-error.js";
import { parseStorageBlockRef, storageFromBlock } from "./storage-from-block.js";

function errorOf(fn: () => unknown): StorageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(StorageError);
    return error as StorageError;
  }
  throw new Error("expected a StorageError");
}

describe("storageFromBlock", () => {
  it("builds an S3Storage from s3-bucket block data, named by the block", () => {
    const storage = storageFromBlock("s3-bucket/results", "s3-bucket", {
      bucket: "sluice-results",
      endpoint: "http://127.0.0.1:9000",
      forcePathStyle: true,
      basePath: "/team/",
      credentials: { accessKeyId: "AK", secretAccessKey: "very-secret" },
    });
    expect(storage).toBeInstanceOf(S3Storage);
    expect(storage).toMatchObject({ name: "s3-bucket/results", bucket: "sluice-results", basePath: "team" });
  });

  it("builds a LocalStorage from local-file-system block data", () => {
    const storage = storageFromBlock("local-file-system/scratch", "local-file-system", {
      basePath: "/tmp/x",
    });
    expect(storage).toBeInstanceOf(LocalStorage);
    expect(storage).toMatchObject({ name: "local-file-system/scratch", basePath: "/tmp/x" });
  });

  it("names the failing fields of bad data, never their values", () => {
    const error = errorOf(() =>
      storageFromBlock("s3-bucket/bad", "s3-bucket", {
        bucket: "b",
        credentials: { accessKeyId: "AK", secretAccessKey: 42 },
      }),
    );
    expect(error.reason).toBe("invalid_block");
    expect(error.message).toContain("storage s3-bucket/bad");
    expect(error.message).toContain("bucket:");
    expect(error.message).toContain("credentials.secretAccessKey");
    expect(error.message).not.toContain("42");
    expect(errorOf(() => storageFromBlock("secret/x", "secret", { value: "v" })).reason).toBe(
      "invalid_block",
    );
  });

  it("refuses a base path that would leave the bucket prefix", () => {
    const error = errorOf(() =>
      storageFromBlock("s3-bucket/up", "s3-bucket", { bucket: "bucket", basePath: "a/../.." }),
    );
    expect(error.reason).toBe("invalid_key");
  });
});

describe("storage references", () => {
  it("parses TYPE/NAME for the block types that hold results", () => {
    expect(parseStorageBlockRef("s3-bucket/results")).toEqual({ type: "s3-bucket", name: "results" });
    expect(parseStorageBlockRef("local-file-system/a-b")).toEqual({ type: "local-file-system", name: "a-b" });
    for (const bad of [
      "s3-bucket",
      "s3-bucket/",
      "webhook/x",
      "s3-bucket/Results",
      "s3-bucket/a/b",
      "../x",
    ]) {
      expect(errorOf(() => parseStorageBlockRef(bad)).reason, bad).toBe("invalid_block");
    }
  });

  it("names a block storage by its reference before loading it, and 'local' is the home directory", () => {
    expect(storageFromRef("s3-bucket/results").name).toBe("s3-bucket/results");
    expect(storageFromRef("local")).toBeInstanceOf(LocalStorage);
    expect(errorOf(() => storageFromRef("json/x")).reason).toBe("invalid_block");
  });
});
