import type { FieldIssue } from "@sluice/contracts";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

// Draft 2020-12 (what zod's toJSONSchema writes); `$schema` is dropped so draft-07 schemas load too.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormatsModule.default(ajv);

/** Compiled validators by schema text; deployments share few schemas, so the cache stays small. */
const compiled = new Map<string, ValidateFunction>();
const CACHE_LIMIT = 500;

function compile(schema: Record<string, unknown>): ValidateFunction {
  const { $schema: _ignored, ...rest } = schema;
  const key = JSON.stringify(rest);
  let validate = compiled.get(key);
  if (!validate) {
    if (compiled.size >= CACHE_LIMIT) compiled.clear();
    validate = ajv.compile(rest);
    compiled.set(key, validate);
  }
  return validate;
}

/** Why a parameter schema cannot be used (not a valid JSON schema), or undefined. */
export function describeParameterSchemaProblem(schema: Record<string, unknown>): string | undefined {
  try {
    compile(schema);
    return undefined;
  } catch (error) {
    // Ajv throws on a schema it cannot compile; that is the client's input error, reported as such.
    return error instanceof Error ? error.message : String(error);
  }
}

/** One issue per failing field of `parameters` against `schema`, with paths like `parameters.limit`. */
export function checkParameters(
  schema: Record<string, unknown>,
  parameters: Record<string, unknown>,
): FieldIssue[] {
  return checkAgainstSchema(schema, parameters, {
    root: "parameters",
    unknownField: "is not a parameter of this flow",
  });
}

/** How checkAgainstSchema names fields. */
export interface SchemaCheckNaming {
  /** The first segment of every issue path ("parameters", "data"). */
  readonly root: string;
  /** The message for a field the schema does not allow. */
  readonly unknownField: string;
}

/** One issue per failing field of `value` against the JSON schema, with paths like `data.bucket`. */
export function checkAgainstSchema(
  schema: Record<string, unknown>,
  value: unknown,
  naming: SchemaCheckNaming,
): FieldIssue[] {
  const validate = compile(schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => toIssue(error, naming));
}

function toIssue(error: ErrorObject, naming: SchemaCheckNaming): FieldIssue {
  const segments = error.instancePath
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (error.keyword === "required" && params.missingProperty) {
    return { path: [naming.root, ...segments, params.missingProperty].join("."), message: "is required" };
  }
  if (error.keyword === "additionalProperties" && params.additionalProperty) {
    return {
      path: [naming.root, ...segments, params.additionalProperty].join("."),
      message: naming.unknownField,
    };
  }
  return { path: [naming.root, ...segments].join("."), message: error.message ?? error.keyword };
}
