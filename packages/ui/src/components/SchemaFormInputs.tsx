import { useState } from "react";
import { Unparsed, type JsonSchema } from "../lib/json-schema.js";

/** The attributes every control of a schema form carries (id, name, error wiring). */
export interface InputProps {
  readonly id: string;
  readonly name: string;
  readonly disabled: boolean;
  readonly "aria-invalid": true | undefined;
  readonly "aria-describedby": string | undefined;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** An ISO time as a datetime-local input shows it (the viewer's time zone), or undefined. */
export function toLocalInput(iso: string): string | undefined {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  const seconds = date.getSeconds() === 0 ? "" : `:${pad(date.getSeconds())}`;
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}${seconds}`
  );
}

/** A datetime-local input's value (the viewer's time zone) as an ISO time in UTC. */
export function fromLocalInput(text: string): string | Unparsed {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? new Unparsed(text, "must be a date and time") : date.toISOString();
}

/** True or false: a checkbox, or a choice that can also stay unset (optional, no default). */
export function BooleanField(props: {
  inputProps: InputProps;
  checkbox: boolean;
  value: unknown;
  onChange: (value: boolean | undefined) => void;
}) {
  const { value } = props;
  if (props.checkbox) {
    return (
      <input
        {...props.inputProps}
        type="checkbox"
        checked={value === true}
        onChange={(e) => props.onChange(e.target.checked)}
      />
    );
  }
  return (
    <select
      {...props.inputProps}
      value={value === true ? "true" : value === false ? "false" : ""}
      onChange={(e) => props.onChange(e.target.value === "" ? undefined : e.target.value === "true")}
    >
      <option value="">(not set)</option>
      <option value="true">true</option>
      <option value="false">false</option>
    </select>
  );
}

/** One of the schema's `enum` values (any JSON values, chosen by position). */
export function EnumField(props: {
  inputProps: InputProps;
  options: readonly unknown[];
  required: boolean;
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const { options, value } = props;
  const index = options.findIndex((option) => JSON.stringify(option) === JSON.stringify(value));
  return (
    <select
      {...props.inputProps}
      value={index >= 0 ? String(index) : ""}
      onChange={(e) => props.onChange(e.target.value === "" ? undefined : options[Number(e.target.value)])}
    >
      {(index < 0 || !props.required) && <option value="">(not set)</option>}
      {options.map((option, i) => (
        <option key={i} value={String(i)}>
          {typeof option === "string" ? option : JSON.stringify(option)}
        </option>
      ))}
    </select>
  );
}

/** A text field: a password input for secrets, date and date-time pickers for those formats. */
export function StringField(props: {
  inputProps: InputProps;
  schema: JsonSchema;
  value: unknown;
  secret: boolean;
  onChange: (value: string | Unparsed | undefined) => void;
}) {
  const { schema, value } = props;
  const text = typeof value === "string" ? value : value instanceof Unparsed ? value.text : "";
  if (schema.format === "date-time" && !props.secret) {
    const local = typeof value === "string" ? toLocalInput(value) : undefined;
    if (local !== undefined || text === "") {
      return (
        <input
          {...props.inputProps}
          type="datetime-local"
          step={1}
          value={local ?? ""}
          onChange={(e) => props.onChange(e.target.value === "" ? undefined : fromLocalInput(e.target.value))}
        />
      );
    }
  }
  const type = props.secret ? "password" : schema.format === "date" ? "date" : "text";
  return (
    <input
      {...props.inputProps}
      type={type}
      value={text}
      autoComplete={props.secret ? "new-password" : "off"}
      onChange={(e) => props.onChange(e.target.value === "" ? undefined : e.target.value)}
    />
  );
}

/** A number field; text that is not a number stays in the form as an error until fixed. */
export function NumberField(props: {
  inputProps: InputProps;
  schema: JsonSchema;
  integer: boolean;
  value: unknown;
  onChange: (value: number | Unparsed | undefined) => void;
}) {
  const { value } = props;
  const text = typeof value === "number" ? String(value) : value instanceof Unparsed ? value.text : "";
  return (
    <input
      {...props.inputProps}
      type="text"
      inputMode={props.integer ? "numeric" : "decimal"}
      value={text}
      onChange={(e) => {
        const raw = e.target.value.trim();
        if (raw === "") return props.onChange(undefined);
        const parsed = Number(raw);
        props.onChange(
          Number.isFinite(parsed)
            ? parsed
            : new Unparsed(e.target.value, props.integer ? "must be a whole number" : "must be a number"),
        );
      }}
    />
  );
}

function jsonText(value: unknown): string {
  return value === undefined || value instanceof Unparsed ? "" : JSON.stringify(value, null, 2);
}

/** The JSON editor, for values the form has no fields for: broken JSON is an error until fixed. */
export function JsonField(props: {
  inputProps: InputProps;
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const [text, setText] = useState(() =>
    props.value instanceof Unparsed ? props.value.text : jsonText(props.value),
  );
  const [shown, setShown] = useState(props.value);
  // A value set from outside (a reset) replaces what was typed.
  if (props.value !== shown) {
    setShown(props.value);
    if (!(props.value instanceof Unparsed)) setText(jsonText(props.value));
  }
  return (
    <textarea
      {...props.inputProps}
      className="json-editor"
      rows={Math.min(12, Math.max(3, text.split("\n").length + 1))}
      spellCheck={false}
      value={text}
      placeholder="JSON"
      onChange={(e) => {
        const next = e.target.value;
        setText(next);
        let value: unknown;
        if (next.trim() === "") value = undefined;
        else {
          try {
            value = JSON.parse(next) as unknown;
          } catch (error) {
            value = new Unparsed(
              next,
              `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        }
        setShown(value);
        props.onChange(value);
      }}
    />
  );
}
