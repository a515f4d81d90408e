import type { TaskRun } from "@sluice/contracts";
import { useState } from "react";
import { useServices } from "../../lib/app-context.js";
import { formatDuration, formatTime } from "../../lib/format.js";
import { Link } from "../../lib/router.js";
import { concernsFlowRun } from "../../lib/server-events.js";
import { useData } from "../../lib/use-data.js";
import { useProgressiveCount } from "../../lib/use-progressive-count.js";
import { StateBadge } from "../StateBadge.js";
import { ResultRefView } from "./ResultRefView.js";

const STEP = 200;
/** The API's largest page: past it the graph and the timeline still show every task run. */
const MOST = 1000;
/** Rows rendered per task: a page of 200 rendered at once was the run page's longest frame. */
const ROWS_PER_TASK = 50;

/** A flow run's task runs, oldest first, with state, timing, run count and result reference. */
export function TaskRunList(props: { flowRunId: string; onShowLogs: (taskRun: TaskRun) => void }) {
  const { client } = useServices();
  const [limit, setLimit] = useState(STEP);
  const taskRuns = useData(
    () => client.filterTaskRuns({ flowRunIds: [props.flowRunId], limit, sort: "CREATED_ASC" }),
    [client, props.flowRunId, limit],
    (e) => concernsFlowRun(e, props.flowRunId, ["task-runs-changed"]),
    { refreshDelayMs: 1000 },
  );
  const shown = useProgressiveCount(taskRuns.data?.items.length ?? 0, ROWS_PER_TASK);
  if (taskRuns.error && !taskRuns.data) return <p className="error">{taskRuns.error}</p>;
  if (!taskRuns.data) return <p className="muted">Loading…</p>;
  const { items, nextCursor } = taskRuns.data;
  if (items.length === 0) return <p className="muted">No task runs.</p>;
  return (
    <>
      <table>
        <thead>
          <tr>
            <th>Task run</th>
            <th>State</th>
            <th>Start</th>
            <th>Duration</th>
            <th>Runs</th>
            <th>Result</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {items.slice(0, shown).map((t) => (
            <tr key={t.id} data-testid="task-run-row">
              <td>
                <Link to={`/task-runs/${t.id}`} testId="task-run-link">
                  {t.name}
                </Link>
              </td>
              <td>
                <StateBadge type={t.stateType} name={t.stateName} />
              </td>
              <td>{formatTime(t.startTime)}</td>
              <td>{formatDuration(t.startTime, t.endTime)}</td>
              <td>{t.runCount}</td>
              <td>
                <ResultRefView result={t.result} />
              </td>
              <td>
                <button type="button" className="link-button" onClick={() => props.onShowLogs(t)}>
                  Logs
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {nextCursor &&
        (limit < MOST ? (
          <button type="button" onClick={() => setLimit(Math.min(MOST, limit + STEP))}>
            Show more task runs
          </button>
        ) : (
          <p className="muted">
            Showing the first {MOST.toLocaleString("en")} task runs; the graph and the timeline show them all.
          </p>
        ))}
    </>
  );
}
