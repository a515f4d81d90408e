import { SluiceApiError } from "@sluice/client";
import { useState, type FormEvent } from "react";
import { errorMessage } from "../../lib/app-context.js";
import { checkVariableInput, type VariableInput } from "./variable-input.js";

/** A server refusal as a sentence, with the fields it names. */
function refusal(error: unknown): string {
  if (error instanceof SluiceApiError) {
    const issues = error.details?.issues;
    if (issues?.length) return issues.map((i) => `${i.path}: ${i.message}`).join("; ");
  }
  return errorMessage(error);
}

/**
 * Creates a variable (name editable) or edits one (name fixed). The fields are checked before
 * sending; `onSave` gets the checked name, value and tags and may throw to show the server's answer.
 */
export function VariableForm(props: {
  initial: VariableInput;
  isNew: boolean;
  onSave: (name: string, value: unknown, tags: string[]) => Promise<void>;
  onCancel: () => void;
}) {
  const [input, setInput] = useState(props.initial);
  const [errors, setErrors] = useState<Partial<Record<keyof VariableInput, string>>>({});
  const [failure, setFailure] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const field = (key: keyof VariableInput) => ({
    value: input[key],
    onChange: (e: { target: { value: string } }) => setInput((i) => ({ ...i, [key]: e.target.value })),
    "aria-invalid": errors[key] ? true : undefined,
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(undefined);
    const checked = checkVariableInput(input);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      await props.onSave(checked.name, checked.value, checked.tags);
    } catch (error) {
      setFailure(refusal(error));
    } finally {
      setSaving(false);
    }
  };
  return (
    <form className="variable-form" onSubmit={(e) => void submit(e)} data-testid="variable-form" noValidate>
      <label>
        Name
        <input
          {...field("name")}
          disabled={!props.isNew}
          data-testid="variable-name"
          placeholder="aws_region"
        />
        {errors.name && (
          <span className="error" data-testid="name-error">
            Name: {errors.name}
          </span>
        )}
      </label>
      <label>
        Value (JSON)
        <textarea {...field("value")} rows={5} spellCheck={false} data-testid="variable-value" />
        {errors.value && (
          <span className="error" data-testid="value-error">
            Value: {errors.value}
          </span>
        )}
      </label>
      <label>
        Tags (comma-separated)
        <input {...field("tags")} data-testid="variable-tags" />
        {errors.tags && <span className="error">Tags: {errors.tags}</span>}
      </label>
      {failure && (
        <p className="error" data-testid="save-error">
          Not saved: {failure}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" disabled={saving} data-testid="variable-save">
          {props.isNew ? "Create" : "Save"}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
