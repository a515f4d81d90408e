import { useState } from "react";
import { LOG_LEVELS } from "../../lib/format.js";
import { LogList } from "./LogList.js";
import { useLogTail } from "./use-log-tail.js";

/**
 * A flow run's or task run's logs: a level filter, the lines (virtualised, following the live tail),
 * and "load more" past the first page. On a flow run's page `taskRun` narrows them to one task run.
 */
export function LogPanel(props: {
  flowRunId: string;
  taskRun?: { id: string; name: string } | undefined;
  /** Clears the task-run filter (the flow run's page); without it the filter is fixed. */
  onClearTaskRun?: () => void;
}) {
  const [levelMin, setLevelMin] = useState(0);
  const logs = useLogTail({ flowRunId: props.flowRunId, taskRunId: props.taskRun?.id, levelMin });
  return (
    <div className="log-panel">
      <div className="log-filters">
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
        {props.taskRun && props.onClearTaskRun && (
          <span className="filter-chip" data-testid="log-task-filter">
            Task run {props.taskRun.name}{" "}
            <button
              type="button"
              className="link-button"
              onClick={props.onClearTaskRun}
              aria-label="Show all logs"
            >
              ×
            </button>
          </span>
        )}
      </div>
      {logs.error && <p className="error">{logs.error}</p>}
      {!logs.loading && logs.lines.length === 0 ? (
        <p className="muted">No logs.</p>
      ) : (
        <LogList lines={logs.lines} change={logs.change} taskLinks={!props.taskRun} />
      )}
      {logs.hasMore && (
        <button type="button" onClick={logs.loadMore} data-testid="load-more-logs">
          Load more ({logs.lines.length.toLocaleString("en")} lines shown)
        </button>
      )}
    </div>
  );
}
