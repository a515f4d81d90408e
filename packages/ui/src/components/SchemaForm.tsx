import { createContext, useContext, type ReactNode } from "react";
import {
  fieldKind,
  fieldLabel,
  isPlainObject,
  isSchema,
  pathKey,
  requiredNames,
  resolveRef,
  setAtPath,
  unwrapNullable,
  withDefaults,
  type JsonSchema,
} from "../lib/json-schema.js";
import { JsonField, NumberField, StringField } from "./SchemaFormInputs.js";

type Path = readonly (string | number)[];

interface FormContext {
  readonly root: JsonSchema;
  readonly value: unknown;
  readonly errors: ReadonlyMap<string, string>;
  readonly secrets: ReadonlySet<string>;
  readonly idPrefix: string;
  readonly disabled: boolean;
  readonly set: (path: Path, next: unknown) => void;
}

const Form = createContext<FormContext | null>(null);

function useForm(): FormContext {
  const form = useContext(Form);
  if (!form) throw new Error("schema form fields render inside <SchemaForm>");
  return form;
}

export interface SchemaFormProps {
  /** The JSON schema of the whole value (an object schema gets one field per property). */
  readonly schema: JsonSchema;
  readonly value: unknown;
  readonly onChange: (value: unknown) => void;
  /** Messages by dotted field path ("" for the whole value), from the validator or the server. */
  readonly errors?: ReadonlyMap<string, string>;
  /** Dotted paths of secret fields: text secrets get password inputs. */
  readonly secretPaths?: readonly string[];
  /** The label of the whole value when it is edited as one field (not an object with fields). */
  readonly rootLabel?: string;
  /** Prefix of the inputs' ids, unique on the page. */
  readonly idPrefix: string;
  readonly disabled?: boolean;
}

/**
 * A form generated from a JSON schema: text, number, whole-number, true/false, choice, list,
 * nested-object and date fields, each with its label, description and error; anything the form
 * cannot render is edited as JSON. Controlled: `value` is the JSON value being edited.
 */
export function SchemaForm(props: SchemaFormProps) {
  const context: FormContext = {
    root: props.schema,
    value: props.value,
    errors: props.errors ?? new Map(),
    secrets: new Set(props.secretPaths ?? []),
    idPrefix: props.idPrefix,
    disabled: props.disabled ?? false,
    set: (path, next) => props.onChange(setAtPath(props.value, path, next)),
  };
  const rootError = context.errors.get("");
  return (
    <Form.Provider value={context}>
      <div className="schema-form">
        {rootError && <p className="field-error">{rootError}</p>}
        <Field
          name={props.rootLabel ?? "value"}
          schema={props.schema}
          path={[]}
          value={props.value}
          required
          topLevel
        />
      </div>
    </Form.Provider>
  );
}

interface FieldProps {
  readonly name: string;
  readonly schema: JsonSchema;
  readonly path: Path;
  readonly value: unknown;
  readonly required: boolean;
  readonly topLevel?: boolean;
}

function Field({ name, schema: raw, path, value, required, topLevel }: FieldProps) {
  const form = useForm();
  const { schema, nullable } = unwrapNullable(resolveRef(raw, form.root));
  const kind = fieldKind(schema);
  const key = pathKey(path);
  const id = `${form.idPrefix}-${key || "value"}`;
  const error = key ? form.errors.get(key) : undefined;
  const set = (next: unknown) => form.set(path, next);
  // Cleared fields are left out (the server's default applies), or null where null is allowed.
  const empty = nullable && required ? null : undefined;

  if (kind === "object") {
    const properties = schema.properties as Record<string, unknown>;
    const fieldValue = isPlainObject(value) ? value : {};
    const requiredFields = requiredNames(schema);
    // Required fields first: the server's JSON column does not keep the schema's property order.
    const entries = Object.entries(properties)
      .filter((entry): entry is [string, JsonSchema] => isSchema(entry[1]))
      .sort(([a], [b]) => Number(requiredFields.has(b)) - Number(requiredFields.has(a)));
    const children = entries.map(([child, childSchema]) => (
      <Field
        key={child}
        name={child}
        schema={childSchema}
        path={[...path, child]}
        value={fieldValue[child]}
        required={requiredFields.has(child)}
      />
    ));
    if (topLevel) return <>{children}</>;
    return (
      <fieldset className="field-group" data-field={key}>
        <legend>
          {fieldLabel(name, schema)}
          {required && <Required />}
        </legend>
        <Help schema={schema} />
        <FieldError id={id} message={error} />
        {children}
      </fieldset>
    );
  }

  if (kind === "array") {
    const items = Array.isArray(value) ? (value as unknown[]) : [];
    const itemSchema = schema.items as JsonSchema;
    return (
      <Labelled name={name} schema={schema} id={id} required={required} error={error} group>
        <ol className="field-list">
          {items.map((item, index) => (
            <li key={index}>
              <Field
                name={`${fieldLabel(name, schema)} ${index + 1}`}
                schema={itemSchema}
                path={[...path, index]}
                value={item}
                required
              />
              <button
                type="button"
                className="link-button"
                disabled={form.disabled}
                onClick={() => set(items.filter((_, i) => i !== index))}
              >
                Remove
              </button>
            </li>
          ))}
        </ol>
        <button
          type="button"
          disabled={form.disabled}
          data-testid={`add-${key}`}
          onClick={() => set([...items, withDefaults(itemSchema, form.root, undefined)])}
        >
          Add {fieldLabel(name, schema)} item
        </button>
      </Labelled>
    );
  }

  // The JSON editor has no fields of its own: it shows the errors of the values inside it too.
  const shown =
    error ??
    (kind === "json" ? [...form.errors].find(([p]) => p.startsWith(`${key}.`))?.join(": ") : undefined);
  const inputProps = {
    id,
    name: key,
    disabled: form.disabled,
    "aria-invalid": shown ? true : undefined,
    "aria-describedby": shown ? `${id}-error` : undefined,
  } as const;
  let control: ReactNode;
  if (kind === "boolean") {
    if (required || typeof schema.default === "boolean") {
      control = (
        <input
          {...inputProps}
          type="checkbox"
          checked={value === true}
          onChange={(e) => set(e.target.checked)}
        />
      );
    } else {
      control = (
        <select
          {...inputProps}
          value={value === true ? "true" : value === false ? "false" : ""}
          onChange={(e) => set(e.target.value === "" ? empty : e.target.value === "true")}
        >
          <option value="">(not set)</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      );
    }
  } else if (kind === "enum") {
    const options = schema.enum as unknown[];
    const index = options.findIndex((option) => JSON.stringify(option) === JSON.stringify(value));
    control = (
      <select
        {...inputProps}
        value={index >= 0 ? String(index) : ""}
        onChange={(e) => set(e.target.value === "" ? empty : options[Number(e.target.value)])}
      >
        {(index < 0 || !required) && <option value="">(not set)</option>}
        {options.map((option, i) => (
          <option key={i} value={String(i)}>
            {typeof option === "string" ? option : JSON.stringify(option)}
          </option>
        ))}
      </select>
    );
  } else if (kind === "const") {
    control = <code id={id}>{JSON.stringify(schema.const)}</code>;
  } else if (kind === "string") {
    control = (
      <StringField
        inputProps={inputProps}
        schema={schema}
        value={value}
        secret={form.secrets.has(key)}
        onChange={(next) => set(next === undefined ? empty : next)}
      />
    );
  } else if (kind === "number" || kind === "integer") {
    control = (
      <NumberField
        inputProps={inputProps}
        schema={schema}
        integer={kind === "integer"}
        value={value}
        onChange={(next) => set(next === undefined ? empty : next)}
      />
    );
  } else {
    control = <JsonField inputProps={inputProps} value={value} onChange={set} />;
  }
  return (
    <Labelled
      name={name}
      schema={schema}
      id={id}
      required={required}
      error={shown}
      inline={kind === "boolean"}
    >
      {control}
    </Labelled>
  );
}

function Labelled(props: {
  name: string;
  schema: JsonSchema;
  id: string;
  required: boolean;
  error: string | undefined;
  children: ReactNode;
  inline?: boolean;
  group?: boolean;
}) {
  const label = (
    <>
      {fieldLabel(props.name, props.schema)}
      {props.required && <Required />}
    </>
  );
  return (
    <div className={`field${props.inline ? " field-inline" : ""}`} data-field={props.id}>
      {props.group ? <span className="field-label">{label}</span> : <label htmlFor={props.id}>{label}</label>}
      {props.children}
      <Help schema={props.schema} />
      <FieldError id={props.id} message={props.error} />
    </div>
  );
}

function Required() {
  return (
    <span className="required" title="required">
      {" "}
      *
    </span>
  );
}

function Help({ schema }: { schema: JsonSchema }) {
  const bits: string[] = [];
  if (typeof schema.description === "string") bits.push(schema.description);
  if (schema.default !== undefined) bits.push(`Default: ${JSON.stringify(schema.default)}`);
  return bits.length > 0 ? <span className="field-help">{bits.join(" · ")}</span> : null;
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <span className="field-error" id={`${id}-error`} data-testid="field-error">
      {message}
    </span>
  );
}
