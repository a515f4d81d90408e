import type { TaskInput } from "@sluice/contracts";
import { useRef } from "react";
import "../components/run/run.css";
import { ArtifactList } from "../components/run/ArtifactList.js";
import { LogPanel } from "../components/run/LogPanel.js";
import { ResultRefView } from "../components/run/ResultRefView.js";
import { StateHistory } from "../components/run/StateHistory.js";
import { StateBadge } from "../components/StateBadge.js";
import { useServices } from "../lib/app-context.js";
import { formatDuration, formatTime } from "../lib/format.js";
import { Link } from "../lib/router.js";
import { concernsFlowRun, type UiServerEvent } from "../lib/server-events.js";
import { useData } from "../lib/use-data.js";

/**
 * One task run: state and state history, timing, run count, where each input came from (links to
 * upstream task runs), cache key, result reference, tags, its logs (live) and artifacts.
 */
export function TaskRunDetail({ id }: { id: string }) {
  const { client } = useServices();
  // Events name flow runs: the task run's is known once it has loaded.
  const flowRunId = useRef<string | undefined>(undefined);
  const mine = (event: UiServerEvent) =>
    flowRunId.current !== undefined && concernsFlowRun(event, flowRunId.current, ["task-runs-changed"]);
  const taskRun = useData(() => client.readTaskRun(id), [client, id], mine, { refreshDelayMs: 1000 });
  const states = useData(() => client.readTaskRunStates(id), [client, id], mine, { refreshDelayMs: 1000 });
  flowRunId.current = taskRun.data?.flowRunId;
  const t = taskRun.data;
  if (taskRun.error && !t) {
    return (
      <div>
        <h1>Task run</h1>
        <p className="error">
          Could not load task run {id}: {taskRun.error}
        </p>
      </div>
    );
  }
  if (!t) return <p className="muted">Loading…</p>;
  return (
    <div>
      <p className="muted">
        <Link to={`/runs/${t.flowRunId}`} testId="flow-run-link">
          flow run
        </Link>{" "}
        / task run
      </p>
      <h1 className="run-title">
        {t.name} <StateBadge type={t.stateType} name={t.stateName} />
      </h1>
      {t.state?.message && <p className="state-message">{t.state.message}</p>}
      {t.state?.details.errorStack && (
        <pre className="error-stack" data-testid="error-stack">
          {t.state.details.errorStack}
        </pre>
      )}
      <dl className="facts">
        <dt>Id</dt>
        <dd>
          <code>{t.id}</code>
        </dd>
        <dt>Task</dt>
        <dd>
          <code>{t.taskKey}</code> (call {t.dynamicKey})
        </dd>
        <dt>Start</dt>
        <dd>{formatTime(t.startTime)}</dd>
        <dt>End</dt>
        <dd>{formatTime(t.endTime)}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(t.startTime, t.endTime)}</dd>
        <dt>Run count</dt>
        <dd data-testid="run-count">{t.runCount}</dd>
        <dt>Cache key</dt>
        <dd>{t.cacheKey ? <code>{t.cacheKey}</code> : "—"}</dd>
        <dt>Cache expires</dt>
        <dd>{formatTime(t.cacheExpiration)}</dd>
        <dt>Result</dt>
        <dd>
          <ResultRefView result={t.result ?? t.state?.result} />
        </dd>
        <dt>Tags</dt>
        <dd>{t.tags.length > 0 ? t.tags.join(", ") : "—"}</dd>
      </dl>

      <h2>Inputs</h2>
      <TaskInputs inputs={t.taskInputs} />

      <h2>State history</h2>
      {states.error && <p className="error">{states.error}</p>}
      <StateHistory states={states.data ?? []} />

      <h2>Logs</h2>
      <LogPanel flowRunId={t.flowRunId} taskRun={{ id: t.id, name: t.name }} />

      <h2>Artifacts</h2>
      <ArtifactList filter={{ taskRunId: t.id }} refreshFlowRunId={t.flowRunId} />
    </div>
  );
}

/** Where each argument came from: an upstream task run's result, a flow parameter, or a constant. */
function TaskInputs({ inputs }: { inputs: Record<string, TaskInput[]> }) {
  const names = Object.keys(inputs);
  if (names.length === 0) return <p className="muted">No recorded inputs.</p>;
  return (
    <table data-testid="task-inputs">
      <tbody>
        {names.map((name) => (
          <tr key={name}>
            <td>
              <code>{name}</code>
            </td>
            <td>
              {(inputs[name] ?? []).map((input, i) => (
                <span key={i} className="task-input">
                  {describeInput(input)}
                </span>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function describeInput(input: TaskInput) {
  switch (input.kind) {
    case "task-run":
      return (
        <>
          result of{" "}
          <Link to={`/task-runs/${input.id}`} testId="upstream-link">
            task run {input.id.slice(0, 8)}
          </Link>
        </>
      );
    case "parameter":
      return (
        <>
          parameter <code>{input.name}</code>
        </>
      );
    case "constant":
      return <>a constant ({input.type})</>;
  }
}
