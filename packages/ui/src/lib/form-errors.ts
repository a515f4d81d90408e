import { SluiceApiError } from "@sluice/client";
import type { FieldError } from "./schema-validator.js";

/** The first message for each field path, as a form shows them. */
export function errorsByPath(errors: readonly FieldError[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const { path, message } of errors) if (!map.has(path)) map.set(path, message);
  return map;
}

/**
 * The field issues of a refused request, with paths made relative to the form's value: the server
 * names them `parameters.limit` or `data.bucket` (or `body.data.bucket` when the body's shape
 * fails). Undefined when the error carries no field issues.
 */
export function serverFieldErrors(error: unknown, root: string): FieldError[] | undefined {
  if (!(error instanceof SluiceApiError)) return undefined;
  const issues = error.details?.issues;
  if (!issues || issues.length === 0) return undefined;
  return issues.map((issue) => {
    const path = issue.path.startsWith("body.") ? issue.path.slice("body.".length) : issue.path;
    if (path === root) return { path: "", message: issue.message };
    return { path: path.startsWith(`${root}.`) ? path.slice(root.length + 1) : path, message: issue.message };
  });
}
