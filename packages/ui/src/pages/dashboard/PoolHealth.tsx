import type { Worker, WorkPool } from "@sluice/contracts";
import { formatTime } from "../../lib/format.js";

/** Work pools with their status, how many of their workers are online, and the latest heartbeat. */
export function PoolHealth({ pools, workers }: { pools: readonly WorkPool[]; workers: readonly Worker[] }) {
  if (pools.length === 0) return <p className="muted">No work pools.</p>;
  const byPool = new Map<string, Worker[]>();
  for (const worker of workers)
    byPool.set(worker.workPoolName, [...(byPool.get(worker.workPoolName) ?? []), worker]);
  return (
    <table>
      <thead>
        <tr>
          <th>Pool</th>
          <th>Type</th>
          <th>Status</th>
          <th>Workers online</th>
          <th>Last heartbeat</th>
          <th>Concurrency</th>
          <th>Last polled</th>
        </tr>
      </thead>
      <tbody>
        {pools.map((pool) => {
          const mine = byPool.get(pool.name) ?? [];
          const online = mine.filter((w) => w.status === "ONLINE");
          const last =
            mine
              .map((w) => w.lastHeartbeatAt)
              .sort()
              .at(-1) ?? null;
          return (
            <tr key={pool.id} data-testid="work-pool-row">
              <td>{pool.name}</td>
              <td>{pool.type}</td>
              <td>
                <span className={`pool-status pool-${pool.status.toLowerCase()}`}>{pool.status}</span>
              </td>
              <td data-testid="workers-online" title={mine.map((w) => `${w.name}: ${w.status}`).join("\n")}>
                {online.length} of {mine.length}
                {mine.length > online.length && (
                  <span className="muted"> ({mine.length - online.length} offline)</span>
                )}
              </td>
              <td>{formatTime(last)}</td>
              <td>{pool.concurrencyLimit ?? "no limit"}</td>
              <td>{formatTime(pool.lastPolledAt)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
