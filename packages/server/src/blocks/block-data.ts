import { SECRET_MASK, type FieldIssue } from "@sluice/contracts";

type Data = Record<string, unknown>;

function isObject(value: unknown): value is Data {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at a dotted path, or undefined when any step is missing or not an object. */
export function getPath(data: Data, path: string): unknown {
  let current: unknown = data;
  for (const part of path.split(".")) {
    if (!isObject(current) || !Object.hasOwn(current, part)) return undefined;
    current = current[part];
  }
  return current;
}

/** Sets the value at a dotted path that exists (its parents are objects); other paths are left alone. */
function replaceAt(data: Data, path: string, value: unknown): void {
  const parts = path.split(".");
  const last = parts.pop()!;
  let current: unknown = data;
  for (const part of parts) {
    if (!isObject(current)) return;
    current = current[part];
  }
  if (isObject(current) && Object.hasOwn(current, last)) current[last] = value;
}

/** A copy of `data` with every present secret field replaced by SECRET_MASK. */
export function maskSecrets(data: Data, secretFields: readonly string[]): Data {
  const copy = structuredClone(data);
  for (const path of secretFields) replaceAt(copy, path, SECRET_MASK);
  return copy;
}

/**
 * A copy of `incoming` where each secret field sent as exactly SECRET_MASK takes its value from
 * `stored`, so saving back what a read returned keeps the secrets. A mask with nothing stored behind
 * it is an issue naming the field: saving the mask itself as a secret is never what was meant.
 */
export function restoreMaskedSecrets(
  incoming: Data,
  stored: Data | undefined,
  secretFields: readonly string[],
): { data: Data; issues: FieldIssue[] } {
  const data = structuredClone(incoming);
  const issues: FieldIssue[] = [];
  for (const path of secretFields) {
    if (getPath(data, path) !== SECRET_MASK) continue;
    const kept = stored === undefined ? undefined : getPath(stored, path);
    if (kept === undefined) {
      issues.push({
        path: `data.${path}`,
        message: `is the mask ${SECRET_MASK} but no value is stored for it; send the real value`,
      });
    } else {
      replaceAt(data, path, kept);
    }
  }
  return { data, issues };
}
