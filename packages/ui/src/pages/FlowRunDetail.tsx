import type { TaskRun } from "@sluice/contracts";
import { useState } from "react";
import { RunActions } from "../components/RunActions.js";
import "../components/run/run.css";
import { ArtifactList } from "../components/run/ArtifactList.js";
import { LogPanel } from "../components/run/LogPanel.js";
import { ResultRefView } from "../components/run/ResultRefView.js";
import { RunGraphSection } from "../components/run/RunGraphSection.js";
import { StateHistory } from "../components/run/StateHistory.js";
import { TaskRunList } from "../components/run/TaskRunList.js";
import { StateBadge } from "../components/StateBadge.js";
import { useServices } from "../lib/app-context.js";
import { formatDuration, formatTime } from "../lib/format.js";
import { concernsFlowRun, type UiServerEvent } from "../lib/server-events.js";
import { useData } from "../lib/use-data.js";

/**
 * One flow run: its state, facts and result, the task graph and timeline, parameters, state history,
 * task runs, logs (live) and artifacts.
 */
export function FlowRunDetail({ id }: { id: string }) {
  const { client } = useServices();
  const [logTaskRun, setLogTaskRun] = useState<TaskRun | undefined>(undefined);
  const mine = (event: UiServerEvent) => concernsFlowRun(event, id, ["flow-run-state"]);
  const run = useData(() => client.readFlowRun(id), [client, id], mine);
  const states = useData(() => client.readFlowRunStates(id), [client, id], mine);
  if (run.error && !run.data) {
    return (
      <div>
        <h1>Flow run</h1>
        <p className="error">
          Could not load flow run {id}: {run.error}
        </p>
      </div>
    );
  }
  if (!run.data) return <p className="muted">Loading…</p>;
  const r = run.data;
  return (
    <div>
      <p className="muted">{r.flowName} / flow run</p>
      <header className="run-header">
        <h1 className="run-title">
          {r.name} <StateBadge type={r.stateType} name={r.stateName} />
        </h1>
        <RunActions run={r} />
      </header>
      {r.state?.message && <p className="state-message">{r.state.message}</p>}
      <dl className="facts">
        <dt>Id</dt>
        <dd>
          <code>{r.id}</code>
        </dd>
        <dt>Expected start</dt>
        <dd>{formatTime(r.expectedStartTime)}</dd>
        <dt>Start</dt>
        <dd>{formatTime(r.startTime)}</dd>
        <dt>End</dt>
        <dd>{formatTime(r.endTime)}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(r.startTime, r.endTime)}</dd>
        <dt>Run count</dt>
        <dd>{r.runCount}</dd>
        <dt>Tags</dt>
        <dd>{r.tags.length > 0 ? r.tags.join(", ") : "—"}</dd>
        <dt>Result</dt>
        <dd>
          <ResultRefView result={r.result ?? r.state?.result} />
        </dd>
      </dl>

      <RunGraphSection flowRunId={id} />

      <h2>Parameters</h2>
      <pre data-testid="parameters">{JSON.stringify(r.parameters, null, 2)}</pre>

      <h2>State history</h2>
      {states.error && <p className="error">{states.error}</p>}
      <StateHistory states={states.data ?? []} />

      <h2>Task runs</h2>
      <TaskRunList flowRunId={id} onShowLogs={setLogTaskRun} />

      <h2 id="logs">Logs</h2>
      <LogPanel
        flowRunId={id}
        taskRun={logTaskRun && { id: logTaskRun.id, name: logTaskRun.name }}
        onClearTaskRun={() => setLogTaskRun(undefined)}
      />

      <h2>Artifacts</h2>
      <ArtifactList filter={{ flowRunId: id }} refreshFlowRunId={id} />
    </div>
  );
}
