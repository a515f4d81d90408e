import { SluiceApiError } from "@sluice/client";
import { BlockName, SECRET_MASK, type Block, type BlockType } from "@sluice/contracts";
import { useState, type FormEvent } from "react";
import { ErrorSummary } from "../../components/ErrorSummary.js";
import { SchemaForm } from "../../components/SchemaForm.js";
import { errorMessage, isUnauthorized, useServices } from "../../lib/app-context.js";
import { useUnauthorized } from "../../lib/auth-context.js";
import { errorsByPath, serverFieldErrors } from "../../lib/form-errors.js";
import { withDefaults } from "../../lib/json-schema.js";
import { navigate, useLocation } from "../../lib/router.js";
import { validateValue, type FieldError } from "../../lib/schema-validator.js";
import { useData } from "../../lib/use-data.js";
import { blockPath } from "./block-paths.js";

/** The form's own name field, kept apart from the data's paths. */
const NAME_FIELD = "@name";

/** Creates a block (/blocks/new?type=slug): choose the type, name it, fill its data. */
export function NewBlock() {
  const { client } = useServices();
  const query = new URLSearchParams(useLocation().split("?")[1] ?? "");
  const slug = query.get("type") ?? "";
  const types = useData(() => client.call("listBlockTypes"), [client]);
  const type = types.data?.items.find((t) => t.slug === slug);
  return (
    <div>
      <h1>New block</h1>
      {types.error && <p className="error">Could not load block types: {types.error}</p>}
      <div className="filters">
        <label>
          Type
          <select
            value={slug}
            onChange={(e) => navigate(`/blocks/new?type=${encodeURIComponent(e.target.value)}`)}
            data-testid="new-block-type"
          >
            <option value="">Choose a type…</option>
            {(types.data?.items ?? []).map((t) => (
              <option key={t.slug} value={t.slug}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {type && <p className="muted">{type.description}</p>}
      {type && <BlockForm key={type.slug} type={type} />}
      {types.data && slug && !type && <p className="error">There is no block type {slug}.</p>}
    </div>
  );
}

/** Edits a block's data (/blocks/{type}/{name}/edit); masked secrets left as they are keep their values. */
export function EditBlock({ type: slug, name }: { type: string; name: string }) {
  const { client } = useServices();
  const loaded = useData(async () => {
    const [type, block] = await Promise.all([
      client.call("readBlockType", { params: { slug } }),
      client.call("readBlock", { params: { type: slug, name }, query: {} }),
    ]);
    return { type, block };
  }, [client, slug, name]);
  return (
    <div>
      <p className="muted">{slug} / block</p>
      <h1>Edit {name}</h1>
      {loaded.error && !loaded.data && <p className="error">Could not load the block: {loaded.error}</p>}
      {loaded.data && (
        <BlockForm key={loaded.data.block.id} type={loaded.data.type} block={loaded.data.block} />
      )}
    </div>
  );
}

/**
 * The block form: the data's fields generated from the type's JSON schema (secret fields as
 * password inputs), checked before saving; the server's 400 and 409 answers shown by field.
 */
function BlockForm({ type, block }: { type: BlockType; block?: Block }) {
  const { client } = useServices();
  const onUnauthorized = useUnauthorized();
  const [name, setName] = useState(block?.name ?? "");
  const [data, setData] = useState<unknown>(
    () => block?.data ?? withDefaults(type.schema, type.schema, undefined) ?? {},
  );
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [failure, setFailure] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const secrets = new Set(type.secretFields);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(undefined);
    const found: FieldError[] = [];
    if (!block) {
      const parsed = BlockName.safeParse(name);
      if (!parsed.success) {
        found.push({
          path: NAME_FIELD,
          message: name ? (parsed.error.issues[0]?.message ?? "is not a valid name") : "is required",
        });
      }
    }
    // On edit a secret still showing the mask is sent back as the mask: the server keeps its value.
    const isKept = (path: string, value: unknown) => !!block && value === SECRET_MASK && secrets.has(path);
    found.push(...validateValue(type.schema, data, { isKept }));
    setErrors(errorsByPath(found));
    if (found.length > 0) return;
    setSaving(true);
    try {
      const saved = await client.call("saveBlock", {
        params: { type: type.slug, name },
        body: { data: data as Record<string, unknown>, overwrite: !!block },
      });
      navigate(blockPath(saved.blockType, saved.name));
    } catch (error) {
      if (isUnauthorized(error)) onUnauthorized();
      if (error instanceof SluiceApiError && error.status === 409) {
        setErrors(new Map([[NAME_FIELD, `a ${type.slug} block named ${name} exists already`]]));
      } else {
        const fields = serverFieldErrors(error, "data");
        if (fields)
          setErrors(errorsByPath(fields.map((f) => (f.path === "name" ? { ...f, path: NAME_FIELD } : f))));
      }
      setFailure(`The server refused the block: ${errorMessage(error)}`);
      setSaving(false);
    }
  };

  const nameError = errors.get(NAME_FIELD);
  return (
    <form className="panel block-form" onSubmit={(e) => void submit(e)} noValidate data-testid="block-form">
      <div className="field">
        <label htmlFor="block-name">
          Name<span className="required"> *</span>
        </label>
        <input
          id="block-name"
          name={NAME_FIELD}
          value={name}
          readOnly={!!block}
          disabled={saving}
          aria-invalid={nameError ? true : undefined}
          onChange={(e) => setName(e.target.value)}
          placeholder="lowercase-with-dashes"
        />
        <span className="field-help">
          Flows load it as {type.slug}/{name || "NAME"}.
        </span>
        {nameError && (
          <span className="field-error" data-testid="field-error">
            {nameError}
          </span>
        )}
      </div>
      <SchemaForm
        schema={type.schema}
        value={data}
        onChange={setData}
        errors={errors}
        secretPaths={type.secretFields}
        idPrefix="block"
        rootLabel="data"
        disabled={saving}
      />
      {block && type.secretFields.length > 0 && (
        <p className="muted">Secret fields left as {SECRET_MASK} keep their stored values.</p>
      )}
      <ErrorSummary errors={errors} />
      {failure && <p className="error">{failure}</p>}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving} data-testid="save-block">
          {saving ? "Saving…" : block ? "Save" : "Create"}
        </button>
        <button
          type="button"
          disabled={saving}
          onClick={() => navigate(block ? blockPath(type.slug, block.name) : "/blocks")}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
