import { MAX_VARIABLE_VALUE_CHARS, Tag, VariableName } from "@sluice/contracts";

/** A variable form's fields as typed, checked before anything is sent. */
export interface VariableInput {
  readonly name: string;
  /** JSON text. */
  readonly value: string;
  /** Comma-separated tags. */
  readonly tags: string;
}

/** What the form sends once its fields are valid, or the problems, each naming its field. */
export type CheckedVariable =
  | { readonly ok: true; readonly name: string; readonly value: unknown; readonly tags: string[] }
  | { readonly ok: false; readonly errors: Partial<Record<keyof VariableInput, string>> };

/**
 * Checks a variable form with the API's own rules (the contracts' VariableName, Tag and size
 * limit) and parses the value as JSON, so a mistake is named before a request is made.
 */
export function checkVariableInput(input: VariableInput): CheckedVariable {
  const errors: Partial<Record<keyof VariableInput, string>> = {};
  const name = VariableName.safeParse(input.name.trim());
  if (!name.success) {
    errors.name =
      input.name.trim() === ""
        ? "a name is required"
        : (name.error.issues[0]?.message ?? "not a valid variable name");
  }
  let value: unknown;
  if (input.value.trim() === "") {
    errors.value = 'a JSON value is required, for example "text", 42, true or {"key": 1}';
  } else {
    try {
      value = JSON.parse(input.value);
      const chars = JSON.stringify(value).length;
      if (chars > MAX_VARIABLE_VALUE_CHARS) {
        errors.value = `the value is ${chars} characters as JSON; the limit is ${MAX_VARIABLE_VALUE_CHARS}`;
      }
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      errors.value = `not valid JSON (${why}); text must be quoted, for example "us-east-1"`;
    }
  }
  const tags = input.tags
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "");
  const badTag = tags.find((t) => !Tag.safeParse(t).success);
  if (badTag !== undefined) errors.tags = `tag "${badTag}" is not valid (at most 100 characters)`;
  if (Object.keys(errors).length > 0 || !name.success) return { ok: false, errors };
  return { ok: true, name: name.data, value, tags };
}
