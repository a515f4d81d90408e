import {
  isPlainObject,
  isSchema,
  pathKey,
  requiredNames,
  resolveRef,
  schemaTypes,
  unwrapNullable,
  Unparsed,
  type JsonSchema,
} from "./json-schema.js";

/** A field the validator refuses: its dotted path ("" for the whole value) and why. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export interface ValidateOptions {
  /**
   * True for a value that is accepted as it is at a path without checking it against the schema:
   * a block's masked secret sent back on edit, which the server replaces with the stored value.
   */
  readonly isKept?: (path: string, value: unknown) => boolean;
}

type Path = readonly (string | number)[];

/**
 * Checks `value` against the JSON-schema subset the forms render (types, enum, const, required,
 * properties, additionalProperties, items, lengths, bounds, pattern, formats date, date-time,
 * email, uri, uuid; anyOf/oneOf/allOf and local $refs). One error per failing field, named by its
 * path, so each can be shown beside its field. The server remains the judge of what this misses.
 */
export function validateValue(
  schema: JsonSchema,
  value: unknown,
  options: ValidateOptions = {},
): FieldError[] {
  const errors: FieldError[] = [];
  check(schema, schema, value, [], errors, options);
  return errors;
}

function check(
  schemaIn: JsonSchema,
  root: JsonSchema,
  value: unknown,
  path: Path,
  errors: FieldError[],
  options: ValidateOptions,
): void {
  const key = pathKey(path);
  if (value instanceof Unparsed) {
    errors.push({ path: key, message: value.message });
    return;
  }
  if (options.isKept?.(key, value)) return;
  const nullable = unwrapNullable(resolveRef(schemaIn, root));
  if (value === null && nullable.nullable) return;
  const schema = nullable.schema;
  const own = firstProblem(schema, value);
  if (own) {
    errors.push({ path: key, message: own });
    return;
  }
  if (Array.isArray(schema.allOf)) {
    for (const part of schema.allOf) if (isSchema(part)) check(part, root, value, path, errors, options);
  }
  for (const keyword of ["anyOf", "oneOf"] as const) {
    const branches = schema[keyword];
    if (!Array.isArray(branches)) continue;
    const matches = branches.some((branch) => {
      if (!isSchema(branch)) return false;
      const branchErrors: FieldError[] = [];
      check(branch, root, value, path, branchErrors, options);
      return branchErrors.length === 0;
    });
    if (!matches) errors.push({ path: key, message: "does not match any of the allowed shapes" });
  }
  if (Array.isArray(value)) checkItems(schema, root, value, path, errors, options);
  else if (isPlainObject(value)) checkProperties(schema, root, value, path, errors, options);
}

function checkProperties(
  schema: JsonSchema,
  root: JsonSchema,
  value: Record<string, unknown>,
  path: Path,
  errors: FieldError[],
  options: ValidateOptions,
): void {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  for (const name of requiredNames(schema)) {
    if (value[name] === undefined) errors.push({ path: pathKey([...path, name]), message: "is required" });
  }
  for (const [name, child] of Object.entries(value)) {
    if (child === undefined) continue;
    const declared = properties[name];
    if (isSchema(declared)) {
      check(declared, root, child, [...path, name], errors, options);
    } else if (schema.additionalProperties === false) {
      errors.push({ path: pathKey([...path, name]), message: "is not a known field" });
    } else if (isSchema(schema.additionalProperties)) {
      check(schema.additionalProperties, root, child, [...path, name], errors, options);
    }
  }
  const count = Object.values(value).filter((v) => v !== undefined).length;
  if (typeof schema.minProperties === "number" && count < schema.minProperties) {
    errors.push({ path: pathKey(path), message: `needs at least ${schema.minProperties} entries` });
  }
}

function checkItems(
  schema: JsonSchema,
  root: JsonSchema,
  value: readonly unknown[],
  path: Path,
  errors: FieldError[],
  options: ValidateOptions,
): void {
  const prefix: unknown[] = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
  value.forEach((item, index) => {
    const itemSchema = prefix[index] ?? schema.items;
    if (item === undefined || item === null) {
      const allowsNull = isSchema(itemSchema) && schemaTypes(resolveRef(itemSchema, root)).includes("null");
      if (item === undefined || !allowsNull) {
        errors.push({ path: pathKey([...path, index]), message: "is empty" });
        return;
      }
    }
    if (isSchema(itemSchema)) check(itemSchema, root, item, [...path, index], errors, options);
  });
}

/** What is wrong with `value` itself (not its fields or items), or undefined. */
function firstProblem(schema: JsonSchema, value: unknown): string | undefined {
  if ("const" in schema && !sameJson(schema.const, value)) return `must be ${JSON.stringify(schema.const)}`;
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => sameJson(option, value))) {
    return `must be one of: ${schema.enum.map((o) => (typeof o === "string" ? o : JSON.stringify(o))).join(", ")}`;
  }
  const types = schemaTypes(schema);
  if (types.length > 0 && !types.some((type) => hasType(value, type))) {
    return `must be ${types.map(typeName).join(" or ")}`;
  }
  if (typeof value === "string") return stringProblem(schema, value);
  if (typeof value === "number") return numberProblem(schema, value);
  if (Array.isArray(value)) return arrayProblem(schema, value);
  return undefined;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return isPlainObject(value);
    case "null":
      return value === null;
    default:
      return true;
  }
}

function typeName(type: string): string {
  const names: Record<string, string> = {
    string: "text",
    number: "a number",
    integer: "a whole number",
    boolean: "true or false",
    array: "a list",
    object: "an object",
    null: "null",
  };
  return names[type] ?? type;
}

function stringProblem(schema: JsonSchema, value: string): string | undefined {
  const length = [...value].length;
  if (typeof schema.minLength === "number" && length < schema.minLength) {
    return schema.minLength === 1 ? "must not be empty" : `must be at least ${schema.minLength} characters`;
  }
  if (typeof schema.maxLength === "number" && length > schema.maxLength) {
    return `must be at most ${schema.maxLength} characters`;
  }
  if (typeof schema.format === "string") {
    const problem = formatProblem(schema.format, value);
    // The format's message says more than its pattern (zod writes both for dates and emails).
    if (problem !== undefined || FORMATS[schema.format]) return problem;
  }
  if (typeof schema.pattern === "string" && !matches(schema.pattern, value)) {
    return `must match the pattern ${schema.pattern}`;
  }
  return undefined;
}

function matches(pattern: string, value: string): boolean {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, "u");
  } catch {
    // A pattern this browser's RegExp cannot compile is left to the server's check.
    return true;
  }
  return regex.test(value);
}

const FORMATS: Record<string, { test: (value: string) => boolean; message: string }> = {
  date: {
    test: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && validDate(`${v}T00:00:00Z`, v.slice(0, 10)),
    message: "must be a date (YYYY-MM-DD)",
  },
  "date-time": {
    test: (v) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(v) &&
      validDate(v, v.slice(0, 10)),
    message: "must be a date and time (YYYY-MM-DDTHH:MM:SSZ)",
  },
  email: { test: (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), message: "must be an email address" },
  uri: { test: isUrl, message: "must be a URL" },
  url: { test: isUrl, message: "must be a URL" },
  uuid: {
    test: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
    message: "must be a UUID",
  },
};

/** True when `iso` parses and its calendar day is the one written (no 2026-02-31 rolling over). */
function validDate(iso: string, day: string): boolean {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return false;
  const [y = 0, m = 0, d = 0] = day.split("-").map(Number);
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
}

function isUrl(value: string): boolean {
  return URL.canParse(value) && /^[a-z][a-z0-9+.-]*:/i.test(value);
}

function formatProblem(format: string, value: string): string | undefined {
  const known = FORMATS[format];
  return known && !known.test(value) ? known.message : undefined;
}

function numberProblem(schema: JsonSchema, value: number): string | undefined {
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf } = schema;
  if (typeof minimum === "number" && value < minimum) return `must be at least ${minimum}`;
  if (typeof maximum === "number" && value > maximum) return `must be at most ${maximum}`;
  if (typeof exclusiveMinimum === "number" && value <= exclusiveMinimum) {
    return `must be greater than ${exclusiveMinimum}`;
  }
  if (typeof exclusiveMaximum === "number" && value >= exclusiveMaximum) {
    return `must be less than ${exclusiveMaximum}`;
  }
  if (typeof multipleOf === "number" && multipleOf > 0 && !Number.isInteger(value / multipleOf)) {
    return `must be a multiple of ${multipleOf}`;
  }
  return undefined;
}

function arrayProblem(schema: JsonSchema, value: readonly unknown[]): string | undefined {
  if (typeof schema.minItems === "number" && value.length < schema.minItems) {
    return `must have at least ${schema.minItems} item${schema.minItems === 1 ? "" : "s"}`;
  }
  if (typeof schema.maxItems === "number" && value.length > schema.maxItems) {
    return `must have at most ${schema.maxItems} item${schema.maxItems === 1 ? "" : "s"}`;
  }
  if (schema.uniqueItems === true) {
    const seen = new Set(value.map((item) => JSON.stringify(item)));
    if (seen.size !== value.length) return "must not repeat items";
  }
  return undefined;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
