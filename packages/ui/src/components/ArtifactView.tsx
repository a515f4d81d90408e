import type { Artifact } from "@sluice/contracts";
import { Markdown, safeHref } from "../lib/markdown.js";

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** One artifact, rendered by its type: markdown, a table, a link or a progress bar. */
export function ArtifactView({ artifact }: { artifact: Artifact }) {
  const data = record(artifact.data);
  return (
    <section className="artifact" data-testid="artifact">
      <header>
        <strong>{artifact.key ?? "unnamed"}</strong> <span className="muted">{artifact.type}</span>
        {artifact.description && <div className="muted">{artifact.description}</div>}
      </header>
      <ArtifactBody type={artifact.type} data={data} />
    </section>
  );
}

function ArtifactBody({ type, data }: { type: Artifact["type"]; data: Record<string, unknown> }) {
  switch (type) {
    case "markdown":
      return <Markdown source={typeof data.markdown === "string" ? data.markdown : ""} />;
    case "table": {
      const columns = Array.isArray(data.columns) ? data.columns.map(cellText) : [];
      const rows = Array.isArray(data.rows) ? (data.rows as unknown[]) : [];
      return (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                {columns.map((c, i) => (
                  <th key={i}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, r) => (
                <tr key={r}>
                  {columns.map((_, c) => (
                    <td key={c}>{cellText(Array.isArray(row) ? row[c] : undefined)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    }
    case "link": {
      const url = typeof data.url === "string" ? data.url : "";
      const text = typeof data.text === "string" && data.text !== "" ? data.text : url;
      const href = safeHref(url);
      return href === undefined ? (
        <span>{text}</span>
      ) : (
        <a href={href} target="_blank" rel="noopener noreferrer">
          {text}
        </a>
      );
    }
    case "progress": {
      const value = typeof data.progress === "number" ? data.progress : 0;
      return (
        <div className="progress-row">
          <progress max={100} value={value} />
          <span>{value.toFixed(0)} %</span>
        </div>
      );
    }
  }
}
