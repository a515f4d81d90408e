import { z } from "zod";

/** Where a persisted result lives: the storage it went to, its key there, and how it was serialised. */
export const ResultRef = z.object({
  /** The result storage, for example "local" or a storage block's name. */
  storage: z.string().min(1).max(200),
  /** The key inside that storage. */
  key: z.string().min(1).max(1024),
  /** The serializer that wrote it: JSON text, or bytes stored as they are. */
  serializer: z.enum(["json", "bytes"]),
  /** Size in bytes of the stored value, when known. */
  sizeBytes: z.number().int().min(0).optional(),
});
export type ResultRef = z.infer<typeof ResultRef>;
