import { z } from "zod";
import { PageRequest, Page, Tag, Timestamp } from "./common.js";

/** A flow name: what `flow({ name })` registers. */
export const FlowName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^/%&><]+$/, "flow names cannot contain / % & > <");

/** A flow: a named workflow function; runs of it are flow runs. */
export const Flow = z.object({
  id: z.uuid(),
  name: FlowName,
  tags: z.array(Tag),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Flow = z.infer<typeof Flow>;

/** Registers a flow by name; registering an existing name returns it unchanged. */
export const FlowCreate = z.object({
  name: FlowName,
  tags: z.array(Tag).max(100).default([]),
});
export type FlowCreate = z.input<typeof FlowCreate>;

/** Filter for listing flows. */
export const FlowFilter = PageRequest.extend({
  /** Case-insensitive substring of the name. */
  nameLike: z.string().max(200).optional(),
  sort: z.enum(["NAME_ASC", "CREATED_DESC"]).default("NAME_ASC"),
});
export type FlowFilter = z.input<typeof FlowFilter>;

export const FlowPage = Page(Flow);
export type FlowPage = z.infer<typeof FlowPage>;
