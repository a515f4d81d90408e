import { UsageError } from "./errors.js";

/**
 * Parses one `--param` value: the text after the first `=` is JSON when it parses
 * (`n=3` is a number, `xs=[1,2]` an array, `ok=true` a boolean), else the plain string.
 */
export function parseParamValue(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** Splits `key=value`; the key must be non-empty. */
export function parseParamAssignment(assignment: string): [string, unknown] {
  const eq = assignment.indexOf("=");
  if (eq <= 0) {
    throw new UsageError(
      `invalid --param "${assignment}": expected key=value, for example --param name=world`,
    );
  }
  return [assignment.slice(0, eq), parseParamValue(assignment.slice(eq + 1))];
}

/**
 * Builds a flow's parameters from `--params JSON` (an object) overlaid with each `--param key=value`.
 * Dotted keys are not expanded: `--param a.b=1` sets the parameter named "a.b".
 */
export function buildParameters(assignments: readonly string[], json?: string): Record<string, unknown> {
  let params: Record<string, unknown> = {};
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw new UsageError(`invalid --params: not JSON (${(error as Error).message})`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new UsageError(
        'invalid --params: expected a JSON object, for example --params \'{"name":"world"}\'',
      );
    }
    params = { ...(parsed as Record<string, unknown>) };
  }
  for (const assignment of assignments) {
    const [key, value] = parseParamAssignment(assignment);
    params[key] = value;
  }
  return params;
}

/** Commander collector for repeatable options: `--tag a --tag b` gives ["a", "b"]. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Commander parser for `--limit`: an integer from 1 to `max`. */
export function parseLimit(max = 1000): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new UsageError(`invalid --limit "${value}": expected a whole number from 1 to ${max}`);
    }
    return n;
  };
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks that `id` is a UUID, naming what it should identify when it is not. */
export function requireId(id: string, what: string): string {
  if (!UUID_PATTERN.test(id)) throw new UsageError(`invalid ${what} id "${id}": expected a UUID`);
  return id.toLowerCase();
}

/** Splits repeated and comma-separated values: ["a,b", "c"] gives ["a", "b", "c"]. */
export function splitList(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
}
