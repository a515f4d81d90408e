import { useServices } from "../../lib/app-context.js";
import { concernsFlowRun } from "../../lib/server-events.js";
import { useData } from "../../lib/use-data.js";
import { prepareRunGraph } from "./run-graph-data.js";
import { TaskGraph } from "./TaskGraph.js";
import { Timeline } from "./Timeline.js";

/**
 * A flow run's task graph and timeline, both drawn from one request (GET /api/flow-runs/{id}/graph),
 * fetched again at most once a second while task runs of this run change. The layout and the
 * timeline's rows are computed with each answer, in tasks of their own (prepareRunGraph).
 */
export function RunGraphSection({ flowRunId }: { flowRunId: string }) {
  const { client } = useServices();
  const graph = useData(
    async () => prepareRunGraph((await client.call("readFlowRunGraph", { params: { id: flowRunId } })).nodes),
    [client, flowRunId],
    (e) => concernsFlowRun(e, flowRunId, ["task-runs-changed", "flow-run-state"]),
    { refreshDelayMs: 1000 },
  );
  let body;
  if (graph.error && !graph.data) body = <p className="error">{graph.error}</p>;
  else if (!graph.data) body = <p className="muted">Loading the task graph…</p>;
  else if (graph.data.nodes.length === 0) body = <p className="muted">No task runs yet.</p>;
  if (body || !graph.data) {
    return (
      <>
        <h2>Task graph</h2>
        {body}
      </>
    );
  }
  return (
    <>
      <h2>Task graph</h2>
      <TaskGraph graph={graph.data} />
      <h2>Timeline</h2>
      <Timeline graph={graph.data} />
    </>
  );
}
