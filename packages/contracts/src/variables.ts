import { z } from "zod";
import { Page, PageRequest, Tag, Timestamp } from "./common.js";

/** Longest serialised value of a variable, in characters (Prefect's limit too). */
export const MAX_VARIABLE_VALUE_CHARS = 5000;

/** A variable name: lowercase letters, digits and underscores, so it reads well in templates. */
export const VariableName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[a-z0-9_]+$/, "variable names use lowercase letters, digits and underscores only");

/** A JSON value of at most MAX_VARIABLE_VALUE_CHARS characters serialised. */
export const VariableValue = z.unknown().superRefine((value, ctx) => {
  if (value === undefined) {
    ctx.addIssue({ code: "custom", message: "a variable needs a JSON value" });
    return;
  }
  const chars = JSON.stringify(value).length;
  if (chars > MAX_VARIABLE_VALUE_CHARS) {
    ctx.addIssue({
      code: "custom",
      message: `the value is ${chars} characters serialised; the limit is ${MAX_VARIABLE_VALUE_CHARS}`,
    });
  }
});

/** A named JSON value. */
export const Variable = z.object({
  id: z.uuid(),
  name: VariableName,
  value: z.unknown(),
  tags: z.array(Tag),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Variable = z.infer<typeof Variable>;

/** Sets a variable's value (creating it when missing); tags replace the old ones when given. */
export const VariableSet = z.strictObject({
  value: VariableValue,
  tags: z.array(Tag).max(100).optional(),
});
export type VariableSet = z.input<typeof VariableSet>;

/** Path parameters naming a variable. */
export const VariableParams = z.object({ name: VariableName });

export const VariableFilter = PageRequest.extend({
  /** Case-insensitive substring of the name. */
  nameLike: z.string().max(255).optional(),
  /** Variables carrying all of these tags. */
  tags: z.array(Tag).max(20).optional(),
});
export type VariableFilter = z.input<typeof VariableFilter>;
export const VariablePage = Page(Variable);
export type VariablePage = z.infer<typeof VariablePage>;
