import type { FlowRun } from "@sluice/contracts";
import { StateBadge } from "../components/StateBadge.js";
import { useServices } from "../lib/app-context.js";
import { formatDuration, formatTime } from "../lib/format.js";
import { Link, useLocation } from "../lib/router.js";
import { useData } from "../lib/use-data.js";
import { RunFilterForm } from "./flow-runs/RunFilterForm.js";
import { parseRunFilters, toApiFilter } from "./flow-runs/run-filters.js";
import { Pager } from "../components/Pager.js";
import { useCursorPages } from "../lib/use-cursor-pages.js";

const PAGE_SIZE = 25;

/** A table of flow runs, each linking to its page. */
export function RunTable({ runs }: { runs: readonly FlowRun[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th>Flow</th>
          <th>Run</th>
          <th>State</th>
          <th>Expected start</th>
          <th>Duration</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} data-testid="run-row">
            <td>{run.flowName}</td>
            <td>
              <Link to={`/runs/${encodeURIComponent(run.id)}`}>{run.name}</Link>
            </td>
            <td>
              <StateBadge type={run.stateType} name={run.stateName} />
            </td>
            <td>{formatTime(run.expectedStartTime)}</td>
            <td>{formatDuration(run.startTime, run.endTime)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Flow runs, newest expected start first, filtered by state, flow, deployment, tags and expected
 * start time (kept in the URL so a filtered view can be shared). Pages follow the API's keyset
 * cursors, which stay fast however deep: the cursors of the pages already seen are kept so
 * "Previous" goes back without offsets. Three requests: the page, and the flows and deployments
 * the filters offer.
 */
export function FlowRuns() {
  const { client } = useServices();
  const search = useLocation().split("?")[1] ?? "";
  const filters = parseRunFilters(search);
  const pages = useCursorPages(search);
  const { cursor } = pages;
  const page = useData(
    () => client.filterFlowRuns({ limit: PAGE_SIZE, ...(cursor ? { cursor } : {}), ...toApiFilter(filters) }),
    [client, cursor, search],
    (event) => event.kind === "flow-run-state",
  );
  const flows = useData(
    async () => (await client.call("filterFlows", { body: { limit: 200 } })).items,
    [client],
  );
  const deployments = useData(
    async () => (await client.call("filterDeployments", { body: { limit: 200 } })).items,
    [client],
  );
  const ready = [page, flows, deployments].every((s) => s.data !== undefined || s.error !== undefined);
  const nextCursor = page.data?.nextCursor ?? null;
  return (
    <div data-ready={ready ? "true" : "false"}>
      <h1>Flow runs</h1>
      <RunFilterForm
        key={search}
        filters={filters}
        flows={flows.data ?? []}
        deployments={deployments.data ?? []}
      />
      {page.error && <p className="error">Could not load flow runs: {page.error}</p>}
      {page.data &&
        (page.data.items.length === 0 ? (
          <p className="muted">No flow runs match.</p>
        ) : (
          <RunTable runs={page.data.items} />
        ))}
      <Pager page={pages.page} nextCursor={nextCursor} onPrevious={pages.previous} onNext={pages.next} />
    </div>
  );
}
