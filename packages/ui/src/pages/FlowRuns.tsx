import { StateType, type FlowRun } from "@sluice/contracts";
import { useState, type FormEvent } from "react";
import { StateBadge } from "../components/StateBadge.js";
import { useServices } from "../lib/app-context.js";
import { formatDuration, formatTime } from "../lib/format.js";
import { Link, navigate, useLocation } from "../lib/router.js";
import { useData } from "../lib/use-data.js";

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

function parseState(value: string | null): StateType | undefined {
  const parsed = StateType.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Flow runs, newest expected start first, filtered by state type and flow name (kept in the URL so
 * a filtered view can be shared). Pages follow the API's keyset cursors: the cursors of the pages
 * already seen are kept so "Previous" goes back without offsets.
 */
export function FlowRuns() {
  const { client } = useServices();
  const query = new URLSearchParams(useLocation().split("?")[1] ?? "");
  const state = parseState(query.get("state"));
  const flow = query.get("flow") ?? "";
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [filterKey, setFilterKey] = useState(`${state}|${flow}`);
  if (filterKey !== `${state}|${flow}`) {
    setFilterKey(`${state}|${flow}`);
    setCursors([undefined]);
  }
  const cursor = cursors[cursors.length - 1];
  const page = useData(
    () =>
      client.filterFlowRuns({
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
        ...(state ? { stateTypes: [state] } : {}),
        ...(flow ? { flowNames: [flow] } : {}),
      }),
    [client, cursor, state, flow],
    (event) => event.kind === "flow-run-state",
  );
  const [flowInput, setFlowInput] = useState(flow);
  const applyFilters = (nextState: string | undefined, nextFlow: string) => {
    const params = new URLSearchParams();
    if (nextState) params.set("state", nextState);
    if (nextFlow.trim()) params.set("flow", nextFlow.trim());
    const search = params.toString();
    navigate(search ? `/runs?${search}` : "/runs");
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    applyFilters(state, flowInput);
  };
  const nextCursor = page.data?.nextCursor ?? null;
  return (
    <div>
      <h1>Flow runs</h1>
      <form className="filters" onSubmit={submit}>
        <label>
          State
          <select
            value={state ?? ""}
            onChange={(e) => applyFilters(e.target.value || undefined, flowInput)}
            data-testid="state-filter"
          >
            <option value="">Any</option>
            {StateType.options.map((type) => (
              <option key={type} value={type}>
                {type.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label>
          Flow
          <input
            value={flowInput}
            onChange={(e) => setFlowInput(e.target.value)}
            placeholder="exact flow name"
            data-testid="flow-filter"
          />
        </label>
        <button type="submit">Apply</button>
      </form>
      {page.error && <p className="error">Could not load flow runs: {page.error}</p>}
      {page.data &&
        (page.data.items.length === 0 ? (
          <p className="muted">No flow runs match.</p>
        ) : (
          <RunTable runs={page.data.items} />
        ))}
      <div className="pager">
        <button
          type="button"
          disabled={cursors.length <= 1}
          onClick={() => setCursors((c) => c.slice(0, -1))}
        >
          Previous
        </button>
        <span className="muted">Page {cursors.length}</span>
        <button
          type="button"
          disabled={nextCursor === null}
          onClick={() => nextCursor && setCursors((c) => [...c, nextCursor])}
          data-testid="next-page"
        >
          Next
        </button>
      </div>
    </div>
  );
}
