import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readAll, withMappedErrors } from "./storage-body.js";
import { StorageError } from "./storage-error.js";

describe("stream helpers", () => {
  it("maps an error in the middle of a stream", async () => {
    const source = Readable.from(
      (async function* () {
        yield Buffer.from("first");
        throw new Error("connection reset");
      })(),
    );
    const mapped = withMappedErrors(
      source,
      (error) => new StorageError("failed", { storage: "s", key: "k" }, String(error)),
    );
    const error = await (async () => {
      for await (const chunk of mapped) expect(String(chunk)).toBe("first");
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toBe(
      'storage operation failed (storage s, key "k"): Error: connection reset',
    );
  });

  it("reads into one buffer of the stated size, and refuses a size that does not match", async () => {
    const chunks = () => Readable.from([Buffer.from("ab"), Buffer.from("cd")]);
    expect(Buffer.from(await readAll(chunks(), 4)).toString()).toBe("abcd");
    await expect(readAll(chunks(), 3)).rejects.toThrow("larger than its stated size");
    await expect(readAll(chunks(), 5)).rejects.toThrow("shorter than its stated size");
  });
});
