import type { Deployment } from "@sluice/contracts";
import { formatTime } from "../../lib/format.js";
import {
  fieldKind,
  isSchema,
  requiredNames,
  resolveRef,
  schemaTypes,
  unwrapNullable,
  type JsonSchema,
} from "../../lib/json-schema.js";
import { describeSchedule } from "../../lib/schedule-text.js";

/** Each schedule in words, its expression, time zone, switch and parameters. */
export function SchedulesTable({ deployment }: { deployment: Deployment }) {
  if (deployment.schedules.length === 0) return <p className="muted">No schedules: it runs on demand.</p>;
  return (
    <table data-testid="schedules">
      <thead>
        <tr>
          <th>When</th>
          <th>Kind</th>
          <th>Expression</th>
          <th>Active</th>
          <th>Parameters</th>
        </tr>
      </thead>
      <tbody>
        {deployment.schedules.map((s) => {
          const text = describeSchedule(s.schedule);
          return (
            <tr key={s.id} data-testid="schedule-row">
              <td>{text.summary}</td>
              <td>{s.schedule.kind}</td>
              <td>
                <code>{text.expression}</code>
              </td>
              <td>{s.active ? "yes" : "no"}</td>
              <td>
                {Object.keys(s.parameters).length > 0 ? <code>{JSON.stringify(s.parameters)}</code> : "—"}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function typeText(schema: JsonSchema, root: JsonSchema): string {
  const { schema: inner, nullable } = unwrapNullable(resolveRef(schema, root));
  const kind = fieldKind(inner);
  let text: string;
  if (kind === "enum") text = `one of ${(inner.enum as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
  else if (kind === "array" && isSchema(inner.items)) text = `list of ${typeText(inner.items, root)}`;
  else text = schemaTypes(inner).join(" | ") || "any";
  if (typeof inner.format === "string") text += ` (${inner.format})`;
  return nullable ? `${text} | null` : text;
}

/** The parameter schema's top-level fields as a table, and the whole schema as JSON. */
export function ParameterSchemaTable({ deployment }: { deployment: Deployment }) {
  const schema = deployment.parameterSchema;
  if (!schema) return <p className="muted">No parameter schema.</p>;
  const properties = isSchema(schema.properties) ? Object.entries(schema.properties) : [];
  const required = requiredNames(schema);
  return (
    <>
      {properties.length > 0 && (
        <table data-testid="parameter-schema">
          <thead>
            <tr>
              <th>Parameter</th>
              <th>Type</th>
              <th>Required</th>
              <th>Default</th>
              <th>Description</th>
            </tr>
          </thead>
          <tbody>
            {properties.map(([name, child]) => {
              const field = isSchema(child) ? child : {};
              return (
                <tr key={name}>
                  <td>
                    <code>{name}</code>
                  </td>
                  <td>{typeText(field, schema)}</td>
                  <td>{required.has(name) ? "yes" : "no"}</td>
                  <td>{field.default === undefined ? "—" : <code>{JSON.stringify(field.default)}</code>}</td>
                  <td>{typeof field.description === "string" ? field.description : ""}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <details>
        <summary>Parameter schema (JSON)</summary>
        <pre>{JSON.stringify(schema, null, 2)}</pre>
      </details>
      {!deployment.enforceParameterSchema && (
        <p className="muted">The server does not enforce this schema.</p>
      )}
    </>
  );
}

function lateRunText(deployment: Deployment): string {
  const policy = deployment.lateRunPolicy;
  if (policy.mode === "SKIP_LATE") return `skip runs later than ${policy.thresholdSeconds} s`;
  return policy.mode === "RUN_LATEST" ? "run the latest, cancel older" : "run all";
}

/** Where and how its runs run: pool, queue, job variables, limits, tags, entrypoint. */
export function DeploymentConfiguration({ deployment: d }: { deployment: Deployment }) {
  return (
    <dl className="facts" data-testid="configuration">
      <dt>Id</dt>
      <dd>
        <code>{d.id}</code>
      </dd>
      <dt>Flow</dt>
      <dd>{d.flowName}</dd>
      <dt>Entrypoint</dt>
      <dd>
        <code>{d.entrypoint}</code>
      </dd>
      <dt>Path</dt>
      <dd>{d.path ? <code>{d.path}</code> : "—"}</dd>
      <dt>Work pool</dt>
      <dd>{d.workPoolName ?? "none (no worker can run it)"}</dd>
      <dt>Work queue</dt>
      <dd>{d.workQueueName ?? "default"}</dd>
      <dt>Job variables</dt>
      <dd>{Object.keys(d.jobVariables).length > 0 ? <code>{JSON.stringify(d.jobVariables)}</code> : "—"}</dd>
      <dt>Concurrency limit</dt>
      <dd>
        {d.concurrencyLimit === null
          ? "no limit"
          : `${d.concurrencyLimit} (when full: ${d.collisionStrategy === "ENQUEUE" ? "queue new runs" : "cancel new runs"})`}
      </dd>
      <dt>Late runs</dt>
      <dd>{lateRunText(d)}</dd>
      <dt>Crash retries</dt>
      <dd>{d.crashRetries}</dd>
      <dt>Tags</dt>
      <dd>{d.tags.length > 0 ? d.tags.join(", ") : "—"}</dd>
      <dt>Version</dt>
      <dd>{d.version ?? "—"}</dd>
      <dt>Updated</dt>
      <dd>{formatTime(d.updatedAt)}</dd>
    </dl>
  );
}
