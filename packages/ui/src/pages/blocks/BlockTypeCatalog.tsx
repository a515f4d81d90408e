import type { BlockType } from "@sluice/contracts";
import { isSchema, requiredNames, resolveRef, schemaTypes, unwrapNullable } from "../../lib/json-schema.js";
import { Link } from "../../lib/router.js";
import { newBlockPath } from "./block-paths.js";

/** A type's top-level fields: name, type, required, secret, description. */
function BlockTypeFields({ type }: { type: BlockType }) {
  const properties = isSchema(type.schema.properties) ? Object.entries(type.schema.properties) : [];
  const required = requiredNames(type.schema);
  const secret = (name: string) => type.secretFields.some((f) => f === name || f.startsWith(`${name}.`));
  if (properties.length === 0) return <p className="muted">No declared fields.</p>;
  return (
    <ul className="type-fields">
      {properties.map(([name, raw]) => {
        const field = isSchema(raw) ? unwrapNullable(resolveRef(raw, type.schema)).schema : {};
        const types = schemaTypes(field).join(" | ") || "any";
        return (
          <li key={name}>
            <code>{name}</code> <span className="muted">{types}</span>
            {required.has(name) && <span className="tag">required</span>}
            {secret(name) && <span className="tag tag-secret">secret</span>}
            {typeof field.description === "string" && <span className="muted"> — {field.description}</span>}
          </li>
        );
      })}
    </ul>
  );
}

/** The block types, built-in first, each with its description and fields and a "create" link. */
export function BlockTypeCatalog({ types }: { types: readonly BlockType[] }) {
  const sorted = [...types].sort(
    (a, b) => Number(b.builtIn) - Number(a.builtIn) || a.slug.localeCompare(b.slug),
  );
  return (
    <div className="cards">
      {sorted.map((type) => (
        <section key={type.slug} className="card" data-testid="block-type">
          <header>
            <strong>{type.name}</strong> <code>{type.slug}</code>{" "}
            <span className="tag">{type.builtIn ? "built-in" : "custom"}</span>
          </header>
          {type.description && <p>{type.description}</p>}
          <BlockTypeFields type={type} />
          <Link to={newBlockPath(type.slug)} testId={`create-${type.slug}`}>
            Create a {type.name} block
          </Link>
        </section>
      ))}
    </div>
  );
}
