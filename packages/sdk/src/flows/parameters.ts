import { z } from "zod";
import { ParameterValidationError } from "../errors.js";

/** Validates flow parameters with the flow's schema; throws ParameterValidationError listing every failing field. */
export function validateParameters(
  flowName: string,
  schema: z.ZodType | undefined,
  raw: unknown,
): Record<string, unknown> {
  const input = raw ?? {};
  if (!schema) {
    if (typeof input !== "object" || Array.isArray(input)) {
      throw new ParameterValidationError(flowName, [{ path: "", message: "parameters must be an object" }]);
    }
    return input as Record<string, unknown>;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ParameterValidationError(
      flowName,
      parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join("."),
        message: issue.message,
      })),
    );
  }
  return parsed.data as Record<string, unknown>;
}

/** The JSON schema of a parameter schema (input side, so defaults are optional), or null. */
export function parameterJsonSchema(schema: z.ZodType | undefined): Record<string, unknown> | null {
  if (!schema) return null;
  try {
    return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  } catch {
    return null;
  }
}
