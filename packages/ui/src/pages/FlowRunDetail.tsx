import { useState } from "react";
import { ArtifactView } from "../components/ArtifactView.js";
import { RunActions } from "../components/RunActions.js";
import { StateBadge } from "../components/StateBadge.js";
import { useServices } from "../lib/app-context.js";
import { formatDuration, formatTime, levelName, LOG_LEVELS } from "../lib/format.js";
import { useData } from "../lib/use-data.js";
import type { UiServerEvent } from "../lib/server-events.js";

const LOG_PAGE = 500;

/** One flow run: its state, parameters, state history, task runs, logs and artifacts. */
export function FlowRunDetail({ id }: { id: string }) {
  const { client } = useServices();
  const [levelMin, setLevelMin] = useState(0);
  const mine = (event: UiServerEvent) => event.kind === "flow-run-state" && event.flowRunId === id;
  const run = useData(() => client.readFlowRun(id), [client, id], mine);
  const states = useData(() => client.readFlowRunStates(id), [client, id], mine);
  const taskRuns = useData(
    () => client.filterTaskRuns({ flowRunIds: [id], limit: 1000, sort: "CREATED_ASC" }),
    [client, id],
    mine,
  );
  const logs = useData(
    () => client.filterLogs({ flowRunId: id, limit: LOG_PAGE, sort: "TIMESTAMP_ASC", levelMin }),
    [client, id, levelMin],
    mine,
  );
  const artifacts = useData(
    () => client.call("filterArtifacts", { body: { flowRunId: id, limit: 100, sort: "CREATED_ASC" } }),
    [client, id],
    mine,
  );
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
      <h1 className="run-title">
        {r.name} <StateBadge type={r.stateType} name={r.stateName} />
      </h1>
      <RunActions run={r} />
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
      </dl>

      <h2>Parameters</h2>
      <pre data-testid="parameters">{JSON.stringify(r.parameters, null, 2)}</pre>

      <h2>State history</h2>
      {states.error && <p className="error">{states.error}</p>}
      <table>
        <tbody>
          {(states.data ?? []).map((s) => (
            <tr key={s.id}>
              <td>{formatTime(s.timestamp)}</td>
              <td>
                <StateBadge type={s.type} name={s.name} />
              </td>
              <td>{s.message ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Task runs</h2>
      {taskRuns.error && <p className="error">{taskRuns.error}</p>}
      {taskRuns.data &&
        (taskRuns.data.items.length === 0 ? (
          <p className="muted">No task runs.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Task run</th>
                <th>State</th>
                <th>Start</th>
                <th>Duration</th>
                <th>Runs</th>
              </tr>
            </thead>
            <tbody>
              {taskRuns.data.items.map((t) => (
                <tr key={t.id} data-testid="task-run-row">
                  <td>{t.name}</td>
                  <td>
                    <span className={`state-badge state-${(t.stateType ?? "unknown").toLowerCase()}`}>
                      {t.stateName ?? t.stateType}
                    </span>
                  </td>
                  <td>{formatTime(t.startTime)}</td>
                  <td>{formatDuration(t.startTime, t.endTime)}</td>
                  <td>{t.runCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}

      <h2>Logs</h2>
      <label className="inline">
        Level at least{" "}
        <select
          value={levelMin}
          onChange={(e) => setLevelMin(Number(e.target.value))}
          data-testid="log-level"
        >
          <option value={0}>all</option>
          {LOG_LEVELS.map((l) => (
            <option key={l.level} value={l.level}>
              {l.name}
            </option>
          ))}
        </select>
      </label>
      {logs.error && <p className="error">{logs.error}</p>}
      {logs.data &&
        (logs.data.items.length === 0 ? (
          <p className="muted">No logs.</p>
        ) : (
          <div className="logs">
            {logs.data.items.map((line) => (
              <div
                key={line.id}
                className={`log-line level-${levelName(line.level).toLowerCase()}`}
                data-testid="log-line"
              >
                <span className="log-time">{formatTime(line.timestamp)}</span>
                <span className="log-level">{levelName(line.level)}</span>
                <span className="log-message">{line.message}</span>
              </div>
            ))}
            {logs.data.nextCursor && <p className="muted">Showing the first {LOG_PAGE} lines.</p>}
          </div>
        ))}

      <h2>Artifacts</h2>
      {artifacts.error && <p className="error">{artifacts.error}</p>}
      {artifacts.data &&
        (artifacts.data.items.length === 0 ? (
          <p className="muted">No artifacts.</p>
        ) : (
          artifacts.data.items.map((a) => <ArtifactView key={a.id} artifact={a} />)
        ))}
    </div>
  );
}
