import type { FieldPath } from "./yaml-source.js";

/** A template that could not be filled in, at `path`; `match` is its text as written. */
export interface TemplateProblem {
  path: FieldPath;
  match: string;
  message: string;
}

// `{{ ... }}` with anything but braces inside; whitespace around the expression is optional.
const TEMPLATE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const ENV_NAME = /^\$([A-Za-z_][A-Za-z0-9_]*)$/;

/** What one template expression stands for, or why it cannot be filled in. */
function resolveExpression(
  expression: string,
  env: NodeJS.ProcessEnv,
): { value: string } | { problem: string } {
  const envMatch = ENV_NAME.exec(expression);
  if (envMatch) {
    const name = envMatch[1] ?? "";
    const value = env[name];
    if (value === undefined) return { problem: `the environment variable ${name} is not set` };
    return { value };
  }
  if (/^variables\./.test(expression)) {
    return { problem: `{{ ${expression} }}: variables are not supported yet (a later release adds them)` };
  }
  if (/^blocks\./.test(expression)) {
    return { problem: `{{ ${expression} }}: blocks are not supported yet (a later release adds them)` };
  }
  return {
    problem: `unknown template {{ ${expression} }}: expected {{ $ENV_VAR }}, an environment variable`,
  };
}

function fillString(
  text: string,
  path: FieldPath,
  env: NodeJS.ProcessEnv,
  problems: TemplateProblem[],
): string {
  return text.replace(TEMPLATE, (match, expression: string) => {
    const resolved = resolveExpression(expression, env);
    if ("value" in resolved) return resolved.value;
    problems.push({ path, match, message: resolved.problem });
    return match;
  });
}

/**
 * Fills in `{{ $ENV_VAR }}` in every string value (not in keys). A filled-in template is always
 * text, so `"{{ $LIMIT }}"` gives the string "10". Returns the new value and every problem found.
 */
export function applyTemplates(
  value: unknown,
  env: NodeJS.ProcessEnv,
): { value: unknown; problems: TemplateProblem[] } {
  const problems: TemplateProblem[] = [];
  const walk = (current: unknown, path: PropertyKey[]): unknown => {
    if (typeof current === "string") return fillString(current, path, env, problems);
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
