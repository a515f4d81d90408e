import type { ResultRef } from "@sluice/contracts";

/** Where a result was persisted: its storage, its key there, and the serializer (with its size). */
export function ResultRefView({ result }: { result: ResultRef | null | undefined }) {
  if (!result) return <span className="muted">—</span>;
  const size = result.sizeBytes === undefined ? "" : `, ${result.sizeBytes.toLocaleString("en")} bytes`;
  return (
    <span
      className="result-ref"
      data-testid="result-ref"
      title={`storage ${result.storage}, key ${result.key}`}
    >
      <code>
        {result.storage}:{result.key}
      </code>{" "}
      <span className="muted">
        ({result.serializer}
        {size})
      </span>
    </span>
  );
}
