import type { BaseJobTemplate } from "@sluice/contracts";

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function shortJson(value: unknown): string {
  if (value === undefined) return "—";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/**
 * A base job template in brief: each job variable with its type, default and description (what a
 * deployment may override), then the job configuration itself folded away.
 */
export function JobTemplateSummary({ template }: { template: BaseJobTemplate }) {
  const properties = Object.entries(record(template.variables.properties));
  return (
    <div data-testid="job-template">
      {properties.length === 0 ? (
        <p className="muted">No job variables.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Job variable</th>
              <th>Type</th>
              <th>Default</th>
              <th>Description</th>
            </tr>
          </thead>
          <tbody>
            {properties.map(([name, schema]) => {
              const s = record(schema);
              return (
                <tr key={name}>
                  <td>
                    <code>{name}</code>
                  </td>
                  <td>
                    {typeof s.type === "string" ? s.type : Array.isArray(s.type) ? s.type.join(" | ") : "any"}
                  </td>
                  <td>
                    <code>{shortJson(s.default)}</code>
                  </td>
                  <td className="muted">{typeof s.description === "string" ? s.description : ""}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <details>
        <summary>Job configuration</summary>
        <pre>{JSON.stringify(template.jobConfiguration, null, 2)}</pre>
      </details>
    </div>
  );
}
