import { StateType, type FlowRun, type WorkPool } from "@sluice/contracts";
import { useServices } from "../lib/app-context.js";
import { formatTime } from "../lib/format.js";
import { Link } from "../lib/router.js";
import { useData } from "../lib/use-data.js";
import { StateBadge } from "../components/StateBadge.js";
import { RunTable } from "./FlowRuns.js";

const STATE_TYPES = StateType.options;

/** Counts of flow runs by state type, the latest failed and crashed runs, and the work pools. */
export function Dashboard() {
  const { client } = useServices();
  const counts = useData(
    async () => {
      const answers = await Promise.all(
        STATE_TYPES.map((type) => client.call("countFlowRuns", { body: { stateTypes: [type] } })),
      );
      return STATE_TYPES.map((type, i) => ({ type, count: answers[i]?.count ?? 0 }));
    },
    [client],
    (event) => event.kind === "flow-run-state",
  );
  const failures = useData<FlowRun[]>(
    async () => (await client.filterFlowRuns({ stateTypes: ["FAILED", "CRASHED"], limit: 10 })).items,
    [client],
    (event) =>
      event.kind === "flow-run-state" && (event.stateType === "FAILED" || event.stateType === "CRASHED"),
  );
  const pools = useData<WorkPool[]>(
    async () => (await client.call("filterWorkPools", { body: { limit: 100 } })).items,
    [client],
    (event) => event.kind === "work-pool-changed",
  );
  return (
    <div>
      <h1>Dashboard</h1>
      <h2>Flow runs by state</h2>
      {counts.error && <p className="error">Could not count flow runs: {counts.error}</p>}
      <div className="state-counts">
        {(counts.data ?? []).map(({ type, count }) => (
          <Link key={type} to={`/runs?state=${type}`} className="state-count" testId={`count-${type}`}>
            <span className="count">{count}</span>
            <StateBadge type={type} name={type.toLowerCase()} />
          </Link>
        ))}
      </div>
      <h2>Recent failed and crashed runs</h2>
      {failures.error && <p className="error">Could not load runs: {failures.error}</p>}
      {failures.data &&
        (failures.data.length === 0 ? <p className="muted">None.</p> : <RunTable runs={failures.data} />)}
      <h2>Work pools</h2>
      {pools.error && <p className="error">Could not load work pools: {pools.error}</p>}
      {pools.data &&
        (pools.data.length === 0 ? (
          <p className="muted">No work pools.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Pool</th>
                <th>Type</th>
                <th>Status</th>
                <th>Concurrency</th>
                <th>Last polled</th>
              </tr>
            </thead>
            <tbody>
              {pools.data.map((pool) => (
                <tr key={pool.id} data-testid="work-pool-row">
                  <td>{pool.name}</td>
                  <td>{pool.type}</td>
                  <td>
                    <span className={`pool-status pool-${pool.status.toLowerCase()}`}>{pool.status}</span>
                  </td>
                  <td>{pool.concurrencyLimit ?? "no limit"}</td>
                  <td>{formatTime(pool.lastPolledAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </div>
  );
}
