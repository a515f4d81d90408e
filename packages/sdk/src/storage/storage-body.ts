import { PassThrough, Readable } from "node:stream";
import type { StorageBody } from "./storage.js";

/** The body as something to pipe or upload: bytes and text as they are, anything else as a Readable. */
export function bodyAsStream(body: StorageBody): Readable {
  if (body instanceof Readable) return body;
  if (typeof body === "string" || body instanceof Uint8Array) return Readable.from([body]);
  return Readable.from(body);
}

/** Reads a stream into one buffer. With `sizeBytes` known, the chunks are copied into one allocation. */
export async function readAll(stream: AsyncIterable<Uint8Array>, sizeBytes?: number): Promise<Uint8Array> {
  if (sizeBytes !== undefined) {
    const out = Buffer.allocUnsafe(sizeBytes);
    let offset = 0;
    for await (const chunk of stream) {
      if (offset + chunk.byteLength > sizeBytes) throw new Error("the value is larger than its stated size");
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    if (offset !== sizeBytes) throw new Error("the value is shorter than its stated size");
    return out;
  }
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/**
 * The stream's bytes through a pass-through whose errors are mapped (to StorageError), so a failure in
 * the middle of a read names the storage and key like any other. Chunks are passed on, not copied.
 */
export function withMappedErrors(source: Readable, map: (error: unknown) => Error): Readable {
  const out = new PassThrough();
  source.on("error", (error) => out.destroy(map(error)));
  out.on("close", () => {
    if (!source.destroyed) source.destroy();
  });
  return source.pipe(out);
}
