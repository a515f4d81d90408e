import type { BaseJobTemplate, JsonObject } from "@sluice/contracts";

const WHOLE_PLACEHOLDER = /^\{\{\s*([A-Za-z_$][\w$]*)\s*\}\}$/;
const INNER_PLACEHOLDER = /\{\{\s*([A-Za-z_$][\w$]*)\s*\}\}/g;

/** Marks a value whose variable has no value: the key holding it is removed. */
const MISSING = Symbol("missing");

/**
 * The values a job is rendered with: each variable's schema default (from `variables.properties`),
 * then `jobVariables` over them (the server has already merged the deployment's and the run's own).
 */
export function resolveJobVariables(template: BaseJobTemplate, jobVariables: JsonObject): JsonObject {
  const properties = template.variables.properties;
  const values: JsonObject = {};
  if (properties && typeof properties === "object") {
    for (const [name, schema] of Object.entries(properties)) {
      if (schema && typeof schema === "object" && "default" in schema) {
        values[name] = structuredClone((schema as { default: unknown }).default);
      }
    }
  }
  for (const [name, value] of Object.entries(jobVariables)) {
    if (value !== undefined) values[name] = value;
  }
  return values;
}

/**
 * Renders a pool's job configuration. A string that is exactly `{{ name }}` takes the variable's
 * value whatever its JSON type; placeholders inside a longer string become the value's text (JSON
 * for objects and arrays); a variable without a value (undefined or null) removes the key, or the
 * array item. Placeholders naming no variable count as having no value.
 */
export function renderJobConfiguration(template: BaseJobTemplate, jobVariables: JsonObject): JsonObject {
  const values = resolveJobVariables(template, jobVariables);
  const rendered = renderValue(template.jobConfiguration, values);
  return rendered === MISSING ? {} : (rendered as JsonObject);
}

function lookup(values: JsonObject, name: string): unknown {
  const value = Object.hasOwn(values, name) ? values[name] : undefined;
  return value === undefined || value === null ? MISSING : value;
}

/** The rendered value, or MISSING. */
function renderValue(value: unknown, values: JsonObject): unknown {
  if (typeof value === "string") return renderString(value, values);
  if (Array.isArray(value)) {
    return value.map((item) => renderValue(item, values)).filter((item) => item !== MISSING);
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const rendered = renderValue(item, values);
      if (rendered !== MISSING) out[key] = rendered;
    }
    return out;
  }
  return value;
}

function renderString(text: string, values: JsonObject): unknown {
  const whole = WHOLE_PLACEHOLDER.exec(text);
  if (whole) {
    const value = lookup(values, whole[1] ?? "");
    return value === MISSING ? MISSING : structuredClone(value);
  }
  let missing = false;
  const replaced = text.replace(INNER_PLACEHOLDER, (_match, name: string) => {
    const value = lookup(values, name);
    if (value === MISSING) {
      missing = true;
      return "";
    }
    return typeof value === "string" ? value : JSON.stringify(value);
  });
  // A text built around a value that is missing means nothing (e.g. "{{ name }}-" without a name).
  return missing ? MISSING : replaced;
}
