import type { Worker } from "@sluice/contracts";
import { formatAgo } from "../../lib/relative-time.js";
import { PoolStatus } from "./PoolStatus.js";

function fact(metadata: Record<string, unknown>, key: string): string | undefined {
  const value = metadata[key];
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

/** A pool's workers: status, last heartbeat ("12 s ago", ticking with `now`), interval, host. */
export function PoolWorkers({ workers, now }: { workers: readonly Worker[]; now: number }) {
  if (workers.length === 0) {
    return (
      <p className="muted">
        No worker has polled this pool. Start one with <code>sluice worker start --pool NAME</code>.
      </p>
    );
  }
  return (
    <table>
      <thead>
        <tr>
          <th>Worker</th>
          <th>Status</th>
          <th>Last heartbeat</th>
          <th>Heartbeat interval</th>
          <th>Host</th>
        </tr>
      </thead>
      <tbody>
        {workers.map((worker) => {
          const host = fact(worker.metadata, "host");
          const pid = fact(worker.metadata, "pid");
          const version = fact(worker.metadata, "version");
          return (
            <tr key={worker.id} data-testid="worker-row">
              <td>{worker.name}</td>
              <td>
                <PoolStatus status={worker.status} />
              </td>
              <td title={worker.lastHeartbeatAt} data-testid="worker-heartbeat">
                {formatAgo(worker.lastHeartbeatAt, now)}
              </td>
              <td>every {worker.heartbeatIntervalSeconds} s</td>
              <td className="muted">
                {[host, pid && `pid ${pid}`, version && `v${version}`].filter(Boolean).join(" · ") || "—"}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
