import type { FlowRun } from "@sluice/contracts";
import { useServices } from "../lib/app-context.js";
import { navigate, useLocation } from "../lib/router.js";
import { useData, type DataState } from "../lib/use-data.js";
import type { UiServerEvent } from "../lib/server-events.js";
import { ActivityChart } from "./dashboard/ActivityChart.js";
import {
  ACTIVITY_WINDOWS,
  parseWindow,
  windowBounds,
  type ActivityWindowKey,
} from "./dashboard/activity-window.js";
import { PoolHealth } from "./dashboard/PoolHealth.js";
import { StateCountList } from "./dashboard/StateCountList.js";
import { RunTable } from "./FlowRuns.js";

/** Live events reload the dashboard at most once per 2 s, however many runs change. */
const LIVE = { refreshDelayMs: 2000 };
const onFlowRunState = (event: UiServerEvent) => event.kind === "flow-run-state";

function Failure({ state, what }: { state: DataState<unknown>; what: string }) {
  return state.error ? (
    <p className="error">
      Could not load {what}: {state.error}
    </p>
  ) : null;
}

/**
 * Run activity over a selectable window (kept in the URL as ?window=): flow runs per bucket by
 * state, flow and task runs by state, late and crashed runs, and work pool and worker health.
 * Seven requests in all, each answered from an index whatever the number of runs; the root is
 * marked data-ready once every one has answered.
 */
export function Dashboard() {
  const { client } = useServices();
  const key = parseWindow(new URLSearchParams(useLocation().split("?")[1] ?? "").get("window"));
  const bounds = windowBounds(key, Date.now());
  const window = { since: bounds.since, until: bounds.until };
  const history = useData(
    () => client.call("readFlowRunHistory", { body: { ...window, buckets: bounds.buckets } }),
    [client, bounds.since],
    onFlowRunState,
    LIVE,
  );
  const flowCounts = useData(
    () => client.call("countFlowRunsByState", { body: window }),
    [client, bounds.since],
    onFlowRunState,
    LIVE,
  );
  const taskCounts = useData(
    () => client.call("countTaskRunsByState", { body: window }),
    [client, bounds.since],
    (event) => event.kind === "task-runs-changed",
    LIVE,
  );
  const late = useData<FlowRun[]>(
    async () => (await client.filterFlowRuns({ stateNames: ["Late"], limit: 10 })).items,
    [client],
    onFlowRunState,
    LIVE,
  );
  const crashed = useData<FlowRun[]>(
    async () =>
      (
        await client.filterFlowRuns({
          stateTypes: ["CRASHED"],
          expectedStartTime: { after: bounds.since },
          limit: 10,
        })
      ).items,
    [client, bounds.since],
    (event) => event.kind === "flow-run-state" && event.stateType === "CRASHED",
    LIVE,
  );
  const pools = useData(
    async () => (await client.call("filterWorkPools", { body: { limit: 100 } })).items,
    [client],
    (event) => event.kind === "work-pool-changed" || event.kind === "worker-heartbeat",
    LIVE,
  );
  const workers = useData(
    async () => (await client.call("filterWorkers", { body: { limit: 500 } })).items,
    [client],
    (event) => event.kind === "worker-heartbeat" || event.kind === "work-pool-changed",
    LIVE,
  );
  const all = [history, flowCounts, taskCounts, late, crashed, pools, workers];
  const ready = all.every((s) => s.data !== undefined || s.error !== undefined);
  const runsLink = (type: string, name?: string) => {
    const params = new URLSearchParams({ state: type, from: bounds.since, to: bounds.until });
    if (name) params.set("stateName", name);
    return `/runs?${params.toString()}`;
  };
  return (
    <div data-ready={ready ? "true" : "false"}>
      <div className="page-head">
        <h1>Dashboard</h1>
        <label>
          Window{" "}
          <select
            value={key}
            data-testid="window-select"
            onChange={(e) => navigate(`/?window=${e.target.value as ActivityWindowKey}`)}
          >
            {Object.entries(ACTIVITY_WINDOWS).map(([value, w]) => (
              <option key={value} value={value}>
                last {w.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <h2>Flow run activity</h2>
      <Failure state={history} what="the run history" />
      {history.data && <ActivityChart history={history.data} />}
      <h2>Flow runs by state</h2>
      <Failure state={flowCounts} what="flow run counts" />
      {flowCounts.data && (
        <StateCountList items={flowCounts.data.items} testIdPrefix="count" link={runsLink} />
      )}
      <h2>Task runs by state</h2>
      <Failure state={taskCounts} what="task run counts" />
      {taskCounts.data && <StateCountList items={taskCounts.data.items} testIdPrefix="task-count" />}
      <div className="columns">
        <section>
          <h2>Late runs</h2>
          <Failure state={late} what="late runs" />
          {late.data &&
            (late.data.length === 0 ? <p className="muted">None.</p> : <RunTable runs={late.data} />)}
        </section>
        <section>
          <h2>Crashed runs</h2>
          <Failure state={crashed} what="crashed runs" />
          {crashed.data &&
            (crashed.data.length === 0 ? (
              <p className="muted">None in this window.</p>
            ) : (
              <RunTable runs={crashed.data} />
            ))}
        </section>
      </div>
      <h2>Work pools and workers</h2>
      <Failure state={pools} what="work pools" />
      <Failure state={workers} what="workers" />
      {pools.data && <PoolHealth pools={pools.data} workers={workers.data ?? []} />}
    </div>
  );
}
