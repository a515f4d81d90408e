import type { BlockType, FieldIssue } from "@sluice/contracts";
import { checkAgainstSchema, describeParameterSchemaProblem } from "../deployments/parameter-schema.js";

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One issue per field of `data` that the type's JSON schema refuses, with paths like `data.bucket`. */
export function checkBlockData(type: BlockType, data: Record<string, unknown>): FieldIssue[] {
  return checkAgainstSchema(type.schema, data, {
    root: "data",
    unknownField: `is not a field of block type ${type.slug}`,
  });
}

/** Problems with a custom type's definition: a schema ajv cannot compile, secret fields it does not declare. */
export function checkTypeDefinition(schema: Schema, secretFields: readonly string[]): FieldIssue[] {
  const problem = describeParameterSchemaProblem(schema);
  if (problem) return [{ path: "body.schema", message: `not a usable JSON schema: ${problem}` }];
  return secretFields.flatMap((path, index) =>
    declares(schema, path.split("."))
      ? []
      : [{ path: `body.secretFields.${index}`, message: `the schema has no field ${path}` }],
  );
}

/** True when the field at `parts` is declared in `schema` (through properties, or any allOf/anyOf/oneOf branch). */
function declares(schema: Schema, parts: readonly string[]): boolean {
  const [head, ...rest] = parts;
  if (head === undefined) return true;
  const branches = ["allOf", "anyOf", "oneOf"].flatMap((k): unknown[] => {
    const list = schema[k];
    return Array.isArray(list) ? (list as unknown[]) : [];
  });
  if (branches.some((branch) => isSchema(branch) && declares(branch, parts))) return true;
  const properties = schema.properties;
  if (isSchema(properties)) {
    const child = properties[head];
    return isSchema(child) && declares(child, rest);
  }
  // A map with free keys (a record such as headers) declares every key.
  return isSchema(schema.additionalProperties);
}
