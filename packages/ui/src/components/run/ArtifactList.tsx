import { useServices } from "../../lib/app-context.js";
import { concernsFlowRun } from "../../lib/server-events.js";
import { useData } from "../../lib/use-data.js";
import { ArtifactView } from "../ArtifactView.js";

/** A run's artifacts, oldest first (a flow run's, or one task run's with `taskRunId`). */
export function ArtifactList(props: {
  filter: { flowRunId: string } | { taskRunId: string };
  /** The flow run whose events may bring new artifacts. */
  refreshFlowRunId: string;
}) {
  const { client } = useServices();
  const key = JSON.stringify(props.filter);
  const artifacts = useData(
    () => client.call("filterArtifacts", { body: { ...props.filter, limit: 100, sort: "CREATED_ASC" } }),
    [client, key],
    (e) => concernsFlowRun(e, props.refreshFlowRunId, ["flow-run-state", "task-runs-changed"]),
    { refreshDelayMs: 1000 },
  );
  if (artifacts.error && !artifacts.data) return <p className="error">{artifacts.error}</p>;
  if (!artifacts.data) return null;
  if (artifacts.data.items.length === 0) return <p className="muted">No artifacts.</p>;
  return (
    <>
      {artifacts.data.items.map((a) => (
        <ArtifactView key={a.id} artifact={a} />
      ))}
    </>
  );
}
