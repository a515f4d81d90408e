import type { FlowRun } from "@sluice/contracts";
import { StateBadge } from "../../components/StateBadge.js";
import { formatAgo } from "../../lib/relative-time.js";
import { Link } from "../../lib/router.js";
import { waitReason, type WaitContext } from "./wait-reason.js";

/** The pool's SCHEDULED and PENDING runs, earliest first, each with why it has not started. */
export function WaitingRuns(props: { runs: readonly FlowRun[]; more: boolean; context: WaitContext }) {
  if (props.runs.length === 0) return <p className="muted">No runs are scheduled or pending in this pool.</p>;
  return (
    <>
      <table>
        <thead>
          <tr>
            <th>Run</th>
            <th>State</th>
            <th>Queue</th>
            <th>Due</th>
            <th>Why it waits</th>
          </tr>
        </thead>
        <tbody>
          {props.runs.map((run) => (
            <tr key={run.id} data-testid="waiting-run">
              <td>
                <Link to={`/runs/${encodeURIComponent(run.id)}`}>{run.name}</Link>
                <div className="muted">{run.flowName}</div>
              </td>
              <td>
                <StateBadge type={run.stateType} name={run.stateName} />
              </td>
              <td>{run.workQueueName ?? "—"}</td>
              <td title={run.expectedStartTime}>
                {formatAgo(run.nextScheduledStartTime ?? run.expectedStartTime, props.context.now)}
              </td>
              <td data-testid="wait-reason">
                {waitReason(run, props.context) ?? "due; the next claim by a worker takes it"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.more && <p className="muted">Showing the first {props.runs.length} runs.</p>}
    </>
  );
}
