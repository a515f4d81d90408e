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
  type FieldKind,
  type JsonSchema,
} from "../lib/json-schema.js";
import { BooleanField, EnumField, JsonField, NumberField, StringField } from "./SchemaFormInputs.js";

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

/** A field with its schema resolved, its path named, and its error looked up. */
interface ResolvedField {
  readonly name: string;
  readonly schema: JsonSchema;
  readonly path: Path;
  readonly key: string;
  readonly id: string;
  readonly value: unknown;
  readonly required: boolean;
  readonly error: string | undefined;
  readonly set: (next: unknown) => void;
  /** What a cleared field becomes: left out (the server's default applies), or null where allowed. */
  readonly empty: null | undefined;
}

function Field(props: FieldProps) {
  const form = useForm();
  const { schema, nullable } = unwrapNullable(resolveRef(props.schema, form.root));
  const key = pathKey(props.path);
  const field: ResolvedField = {
    ...props,
    schema,
    key,
    id: `${form.idPrefix}-${key || "value"}`,
    error: key ? form.errors.get(key) : undefined,
    set: (next) => form.set(props.path, next),
    empty: nullable && props.required ? null : undefined,
  };
  const kind = fieldKind(schema);
  if (kind === "object") return <ObjectField field={field} topLevel={props.topLevel ?? false} />;
  if (kind === "array") return <ArrayField field={field} />;
  return <ScalarField field={field} kind={kind} />;
}

function ObjectField({ field, topLevel }: { field: ResolvedField; topLevel: boolean }) {
  const { schema, path, value } = field;
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
    <fieldset className="field-group" data-field={field.key}>
      <legend>
        {fieldLabel(field.name, schema)}
        {field.required && <Required />}
      </legend>
      <Help schema={schema} />
      <FieldError id={field.id} message={field.error} />
      {children}
    </fieldset>
  );
}

function ArrayField({ field }: { field: ResolvedField }) {
  const form = useForm();
  const { schema, set } = field;
  const items = Array.isArray(field.value) ? (field.value as unknown[]) : [];
  const itemSchema = schema.items as JsonSchema;
  const label = fieldLabel(field.name, schema);
  return (
    <Labelled field={field} error={field.error} group>
      <ol className="field-list">
        {items.map((item, index) => (
          <li key={index}>
            <Field
              name={`${label} ${index + 1}`}
              schema={itemSchema}
              path={[...field.path, index]}
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
        data-testid={`add-${field.key}`}
        onClick={() => set([...items, withDefaults(itemSchema, form.root, undefined)])}
      >
        Add {label} item
      </button>
    </Labelled>
  );
}

function ScalarField({ field, kind }: { field: ResolvedField; kind: FieldKind }) {
  const form = useForm();
  const { schema, value, set, empty, key, id } = field;
  // The JSON editor has no fields of its own: it shows the errors of the values inside it too.
  const shown =
    field.error ??
    (kind === "json" ? [...form.errors].find(([p]) => p.startsWith(`${key}.`))?.join(": ") : undefined);
  const inputProps = {
    id,
    name: key,
    disabled: form.disabled,
    "aria-invalid": shown ? true : undefined,
    "aria-describedby": shown ? `${id}-error` : undefined,
  } as const;
  const orEmpty = (next: unknown) => set(next === undefined ? empty : next);
  let control: ReactNode;
  if (kind === "boolean") {
    const checkbox = field.required || typeof schema.default === "boolean";
    control = <BooleanField inputProps={inputProps} checkbox={checkbox} value={value} onChange={orEmpty} />;
  } else if (kind === "enum") {
    const options = schema.enum as unknown[];
    control = (
      <EnumField
        inputProps={inputProps}
        options={options}
        required={field.required}
        value={value}
        onChange={orEmpty}
      />
    );
  } else if (kind === "const") {
    control = <code id={id}>{JSON.stringify(schema.const)}</code>;
  } else if (kind === "string") {
    const secret = form.secrets.has(key);
    control = (
      <StringField inputProps={inputProps} schema={schema} value={value} secret={secret} onChange={orEmpty} />
    );
  } else if (kind === "number" || kind === "integer") {
    const integer = kind === "integer";
    control = (
      <NumberField
        inputProps={inputProps}
        schema={schema}
        integer={integer}
        value={value}
        onChange={orEmpty}
      />
    );
  } else {
    control = <JsonField inputProps={inputProps} value={value} onChange={set} />;
  }
  return (
    <Labelled field={field} error={shown} inline={kind === "boolean"}>
      {control}
    </Labelled>
  );
}

function Labelled(props: {
  field: ResolvedField;
  error: string | undefined;
  children: ReactNode;
  inline?: boolean;
  group?: boolean;
}) {
  const { field } = props;
  const label = (
    <>
      {fieldLabel(field.name, field.schema)}
      {field.required && <Required />}
    </>
  );
  return (
    <div className={`field${props.inline ? " field-inline" : ""}`} data-field={field.id}>
      {props.group ? <span className="field-label">{label}</span> : <label htmlFor={field.id}>{label}</label>}
      {props.children}
      <Help schema={field.schema} />
      <FieldError id={field.id} message={props.error} />
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
