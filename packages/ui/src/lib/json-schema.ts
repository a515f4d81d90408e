/**
 * The JSON-schema subset the UI renders as form fields: what zod's toJSONSchema writes for flow
 * parameters (the SDK, `sluice deploy`) and block types. Anything else is edited as JSON.
 */

/** A JSON schema node (draft 2020-12, as zod writes it). */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** How a schema node is edited: one form control per kind; "json" is the JSON editor fallback. */
export type FieldKind =
  "string" | "number" | "integer" | "boolean" | "enum" | "const" | "array" | "object" | "json";

/**
 * A value the user typed that is not yet a value of the field's type (text in a number field,
 * broken JSON). It lives in the form's value until fixed, and the validator reports it.
 */
export class Unparsed {
  constructor(
    readonly text: string,
    readonly message: string,
  ) {}
}

export function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return isSchema(value) && !(value instanceof Unparsed);
}

/** Follows a local `$ref` (`#/$defs/x`, `#/definitions/x`) against the root schema; other refs are left as they are. */
export function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let current = schema;
  for (let hops = 0; typeof current.$ref === "string" && hops < 20; hops += 1) {
    const ref = current.$ref;
    if (!ref.startsWith("#/")) return current;
    let target: unknown = root;
    for (const part of ref.slice(2).split("/")) {
      const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
      target = isSchema(target) ? target[key] : undefined;
    }
    if (!isSchema(target)) return current;
    const { $ref: _ref, ...rest } = current;
    current = { ...target, ...rest };
  }
  return current;
}

/** The schema's types as a list (`type: "string"` or `type: ["string", "null"]`). */
export function schemaTypes(schema: JsonSchema): string[] {
  const { type } = schema;
  if (typeof type === "string") return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === "string") : [];
}

/**
 * The schema without its "or null" part: `type: [T, "null"]` or `anyOf: [S, {type: "null"}]`
 * (zod's `.nullable()`), and whether null was allowed.
 */
export function unwrapNullable(schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  const types = schemaTypes(schema);
  if (types.length === 2 && types.includes("null")) {
    return { schema: { ...schema, type: types.find((t) => t !== "null") }, nullable: true };
  }
  const branches = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(branches) && branches.length === 2) {
    const nonNull = branches.filter((b) => !(isSchema(b) && b.type === "null"));
    if (nonNull.length === 1 && isSchema(nonNull[0])) {
      const { anyOf: _a, oneOf: _o, ...rest } = schema;
      return { schema: { ...rest, ...nonNull[0] }, nullable: true };
    }
  }
  return { schema, nullable: false };
}

/** Which control edits a (resolved, non-null) schema node. */
export function fieldKind(schema: JsonSchema): FieldKind {
  if ("const" in schema) return "const";
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return "enum";
  const types = schemaTypes(schema);
  if (types.length !== 1) return "json";
  const [type] = types;
  if (type === "string" || type === "number" || type === "integer" || type === "boolean") return type;
  if (type === "array") return isSchema(schema.items) ? "array" : "json";
  // An object with named fields gets one control per field; a map with free keys is edited as JSON.
  if (type === "object") return isSchema(schema.properties) ? "object" : "json";
  return "json";
}

/** The field's label: its `title`, else its name turned into words ("maxRetries" → "max retries"). */
export function fieldLabel(name: string, schema: JsonSchema): string {
  if (typeof schema.title === "string" && schema.title) return schema.title;
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase();
}

/** The names of an object schema's required properties. */
export function requiredNames(schema: JsonSchema): ReadonlySet<string> {
  return new Set(Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === "string") : []);
}

/**
 * The value a form starts from: `value` where given, else each field's `default`, recursing into
 * objects (so a nested object's defaults are filled in too). Fields without either stay unset.
 */
export function withDefaults(schemaIn: JsonSchema, root: JsonSchema, value: unknown): unknown {
  const schema = unwrapNullable(resolveRef(schemaIn, root)).schema;
  const start = value !== undefined ? value : "const" in schema ? schema.const : schema.default;
  if (fieldKind(schema) !== "object" || !(start === undefined || isPlainObject(start))) return start;
  const properties = schema.properties as Record<string, JsonSchema>;
  const out: Record<string, unknown> = { ...(start ?? {}) };
  for (const [name, child] of Object.entries(properties)) {
    if (!isSchema(child)) continue;
    // A nested object without any default stays absent rather than becoming {}.
    const filled = withDefaults(child, root, out[name]);
    if (filled !== undefined) out[name] = filled;
  }
  return start === undefined && Object.keys(out).length === 0 ? undefined : out;
}

/** A deep copy of `value` with `next` at `path` (undefined removes an object's key). */
export function setAtPath(value: unknown, path: readonly (string | number)[], next: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return next;
  if (typeof head === "number") {
    const list = Array.isArray(value) ? [...(value as unknown[])] : [];
    list[head] = setAtPath(list[head], rest, next);
    return list;
  }
  const object = isPlainObject(value) ? { ...value } : {};
  const child = setAtPath(object[head], rest, next);
  // A nested object whose last field was cleared goes too, so an optional group left empty is absent.
  if (child === undefined || (rest.length > 0 && isPlainObject(child) && Object.keys(child).length === 0)) {
    delete object[head];
  } else {
    object[head] = child;
  }
  return object;
}

/** The dotted form of a field path (`nested.items.0`), as the server names fields. */
export function pathKey(path: readonly (string | number)[]): string {
  return path.join(".");
}
