import type { FieldPath } from "./yaml-source.js";

/** A template that could not be filled in, at `path`; `match` is its text as written. */
export interface TemplateProblem {
  path: FieldPath;
  match: string;
  message: string;
}

/** A block as templates see it: its data (secrets masked) and which fields are secret. */
export interface TemplateBlock {
  data: Record<string, unknown>;
  secretFields: readonly string[];
}

/**
 * What templates are filled from. Variables and blocks are fetched from the server before
 * templating (see collectTemplateReferences); a name missing from the maps does not exist there.
 */
export interface TemplateContext {
  env: NodeJS.ProcessEnv;
  variables?: ReadonlyMap<string, unknown>;
  /** Keyed by "type/name". */
  blocks?: ReadonlyMap<string, TemplateBlock>;
}

// `{{ ... }}` with anything but braces inside; whitespace around the expression is optional.
const TEMPLATE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const WHOLE_TEMPLATE = /^\{\{\s*([^{}]*?)\s*\}\}$/;
const ENV_NAME = /^\$([A-Za-z_][A-Za-z0-9_]*)$/;
const VARIABLE = /^variables\.([a-z0-9_]+)$/;
const BLOCK =
  /^blocks\.([a-z0-9]+(?:-[a-z0-9]+)*)\.([a-z0-9]+(?:-[a-z0-9]+)*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)$/;

type Resolved = { value: unknown } | { problem: string };

/** The variable and block references in every string of `value`, to fetch before templating. */
export function collectTemplateReferences(value: unknown): { variables: Set<string>; blocks: Set<string> } {
  const found = { variables: new Set<string>(), blocks: new Set<string>() };
  const walk = (current: unknown): void => {
    if (typeof current === "string") {
      for (const [, expression = ""] of current.matchAll(TEMPLATE)) {
        const variable = VARIABLE.exec(expression);
        if (variable) found.variables.add(variable[1] ?? "");
        const block = BLOCK.exec(expression);
        if (block) found.blocks.add(`${block[1]}/${block[2]}`);
      }
    } else if (Array.isArray(current)) current.forEach(walk);
    else if (typeof current === "object" && current !== null) Object.values(current).forEach(walk);
  };
  walk(value);
  return found;
}

/** True when `field` is a secret path, lies inside one, or holds one (so its value would show it). */
function touchesSecret(field: string, secretFields: readonly string[]): string | undefined {
  return secretFields.find(
    (secret) =>
      field === "" || secret === field || secret.startsWith(`${field}.`) || field.startsWith(`${secret}.`),
  );
}

function resolveBlock(type: string, name: string, field: string, context: TemplateContext): Resolved {
  const block = context.blocks?.get(`${type}/${name}`);
  if (!block) {
    return {
      problem: `no ${type} block named "${name}" on the server (create it with sluice block create ${type} ${name})`,
    };
  }
  const secret = touchesSecret(field, block.secretFields);
  if (secret !== undefined) {
    // A secret filled into the file would be stored in the deployment in the clear.
    const what = field === "" ? `blocks.${type}.${name}` : `blocks.${type}.${name}.${field}`;
    return {
      problem: `${what} would copy the secret field "${secret}" into the deployment; load the block in the flow instead (for example ${type === "secret" ? "Secret" : "the block's class"}.load("${name}"))`,
    };
  }
  let current: unknown = block.data;
  for (const part of field === "" ? [] : field.split(".")) {
    if (typeof current !== "object" || current === null || !(part in current)) {
      return { problem: `the ${type} block "${name}" has no field "${field}"` };
    }
    current = (current as Record<string, unknown>)[part];
  }
  return { value: current };
}

/** What one template expression stands for, or why it cannot be filled in. */
function resolveExpression(expression: string, context: TemplateContext): Resolved {
  const envMatch = ENV_NAME.exec(expression);
  if (envMatch) {
    const name = envMatch[1] ?? "";
    const value = context.env[name];
    if (value === undefined) return { problem: `the environment variable ${name} is not set` };
    return { value };
  }
  const variable = VARIABLE.exec(expression);
  if (variable) {
    const name = variable[1] ?? "";
    if (!context.variables?.has(name)) {
      return {
        problem: `no variable named "${name}" on the server (set it with sluice variable set ${name} VALUE)`,
      };
    }
    return { value: context.variables.get(name) };
  }
  const block = BLOCK.exec(expression);
  if (block) return resolveBlock(block[1] ?? "", block[2] ?? "", (block[3] ?? "").slice(1), context);
  if (/^(variables|blocks)\./.test(expression)) {
    return {
      problem: `malformed template {{ ${expression} }}: expected {{ variables.NAME }} or {{ blocks.TYPE.NAME[.FIELD] }}`,
    };
  }
  return {
    problem: `unknown template {{ ${expression} }}: expected {{ $ENV_VAR }}, {{ variables.NAME }} or {{ blocks.TYPE.NAME[.FIELD] }}`,
  };
}

function fillString(
  text: string,
  path: FieldPath,
  context: TemplateContext,
  problems: TemplateProblem[],
): unknown {
  // A string that is one template takes the value itself, so a JSON variable stays a number or object.
  const whole = WHOLE_TEMPLATE.exec(text);
  if (whole) {
    const resolved = resolveExpression(whole[1] ?? "", context);
    if ("value" in resolved) return resolved.value;
    problems.push({ path, match: text, message: resolved.problem });
    return text;
  }
  return text.replace(TEMPLATE, (match, expression: string) => {
    const resolved = resolveExpression(expression, context);
    if ("value" in resolved) {
      return typeof resolved.value === "string" ? resolved.value : JSON.stringify(resolved.value);
    }
    problems.push({ path, match, message: resolved.problem });
    return match;
  });
}

/**
 * Fills in `{{ $ENV_VAR }}`, `{{ variables.NAME }}` and `{{ blocks.TYPE.NAME[.FIELD] }}` in every
 * string value (not in keys). A string that is exactly one template becomes the value itself
 * (a variable holding 10 gives the number 10; an environment variable is always text); a template
 * inside longer text is inserted as text (JSON for non-strings). Returns the value and every problem.
 */
export function applyTemplates(
  value: unknown,
  context: TemplateContext,
): { value: unknown; problems: TemplateProblem[] } {
  const problems: TemplateProblem[] = [];
  const walk = (current: unknown, path: PropertyKey[]): unknown => {
    if (typeof current === "string") return fillString(current, path, context, problems);
    if (Array.isArray(current)) return current.map((item, index) => walk(item, [...path, index]));
    if (typeof current === "object" && current !== null) {
      return Object.fromEntries(
        Object.entries(current).map(([key, item]) => [key, walk(item, [...path, key])]),
      );
    }
    return current;
  };
  return { value: walk(value, []), problems };
}
