import type { ConcurrencyLimitUsage, WorkQueue } from "@sluice/contracts";
import { PoolStatus } from "./PoolStatus.js";
import { slotsText } from "./WorkPools.js";

/** A pool's queues by priority: limit (with runs in flight when limited), status, pause/resume. */
export function PoolQueues(props: {
  queues: readonly WorkQueue[];
  limits: readonly ConcurrencyLimitUsage[];
  onPause: (queue: string, paused: boolean) => void;
}) {
  if (props.queues.length === 0) return <p className="muted">No queues.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>Queue</th>
          <th title="1 is served first">Priority</th>
          <th>In flight / limit</th>
          <th>Status</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {props.queues.map((queue) => {
          const usage = props.limits.find((l) => l.kind === "work-queue" && l.id === queue.id);
          return (
            <tr key={queue.id} data-testid="queue-row">
              <td>
                {queue.name}
                {queue.description && <div className="muted">{queue.description}</div>}
              </td>
              <td>{queue.priority}</td>
              <td>
                {usage
                  ? slotsText(usage)
                  : queue.concurrencyLimit === null
                    ? "no limit"
                    : queue.concurrencyLimit}
              </td>
              <td>
                <PoolStatus status={queue.status} />
                {queue.paused && <span className="muted"> (queue paused)</span>}
              </td>
              <td>
                <button type="button" onClick={() => props.onPause(queue.name, !queue.paused)}>
                  {queue.paused ? "Resume" : "Pause"}
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
