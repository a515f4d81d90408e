import { z } from "zod";
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "./limits.js";

/** An ISO-8601 timestamp with offset. */
export const Timestamp = z.iso.datetime({ offset: true });

/** A tag: short, no commas, so it survives CLI lists. */
export const Tag = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^,\s][^,]*$/, "tags are non-empty and contain no commas");

/** A JSON object of named values (parameters, job variables). */
export const JsonObject = z.record(z.string(), z.unknown());
export type JsonObject = z.infer<typeof JsonObject>;

/** A path parameter holding a resource id. */
export const IdParams = z.object({ id: z.uuid() });

/** A time range filter; either bound may be omitted. */
export const TimeRange = z.object({
  after: Timestamp.optional(),
  before: Timestamp.optional(),
});
export type TimeRange = z.infer<typeof TimeRange>;

/** Keyset pagination: pass `cursor` from the previous page to get the next. */
export const PageRequest = z.object({
  limit: z.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
  /** Opaque cursor returned as `nextCursor` by the previous page. */
  cursor: z.string().max(1000).optional(),
});

/** A page of items and the cursor of the next page (null on the last page). */
export function Page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Count returned by count endpoints. */
export const CountResponse = z.object({ count: z.number().int().min(0) });
