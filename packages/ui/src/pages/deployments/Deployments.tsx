import type { Deployment } from "@sluice/contracts";
import { useState, type FormEvent } from "react";
import { StateBadge } from "../../components/StateBadge.js";
import { useServices } from "../../lib/app-context.js";
import { Link, navigate, useLocation } from "../../lib/router.js";
import { describeSchedule } from "../../lib/schedule-text.js";
import { useData } from "../../lib/use-data.js";
import { loadRecentRuns } from "./recent-runs.js";
import { Pager } from "../../components/Pager.js";
import { useCursorPages } from "../../lib/use-cursor-pages.js";

const PAGE_SIZE = 25;

/** The page of a deployment. */
export function deploymentPath(id: string): string {
  return `/deployments/${encodeURIComponent(id)}`;
}

function schedulesSummary(deployment: Deployment): string {
  const active = deployment.schedules.filter((s) => s.active);
  if (deployment.schedules.length === 0) return "none";
  const first = active[0] ?? deployment.schedules[0]!;
  const text = describeSchedule(first.schedule).summary;
  const more = deployment.schedules.length - 1;
  const inactive = active.length === 0 ? " (inactive)" : "";
  return `${text}${inactive}${more > 0 ? ` and ${more} more` : ""}`;
}

/** Deployments by name, with their schedules, status, work pool and last runs (live). */
export function Deployments() {
  const { client } = useServices();
  const query = new URLSearchParams(useLocation().split("?")[1] ?? "");
  const name = query.get("name") ?? "";
  const pages = useCursorPages(name);
  const { cursor } = pages;
  const page = useData(
    () =>
      client.call("filterDeployments", {
        body: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}), ...(name ? { nameLike: name } : {}) },
      }),
    [client, cursor, name],
  );
  const ids = (page.data?.items ?? []).map((d) => d.id);
  const shown = new Set(ids);
  const runs = useData(
    () => loadRecentRuns(client, ids),
    [client, ids.join(",")],
    (event) => event.kind === "flow-run-state" && !!event.deploymentId && shown.has(event.deploymentId),
  );
  const [nameInput, setNameInput] = useState(name);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = nameInput.trim();
    navigate(trimmed ? `/deployments?name=${encodeURIComponent(trimmed)}` : "/deployments");
  };
  const nextCursor = page.data?.nextCursor ?? null;
  return (
    <div>
      <h1>Deployments</h1>
      <form className="filters" onSubmit={submit}>
        <label>
          Name
          <input
            value={nameInput}
            onChange={(e) => setNameInput(e.target.value)}
            placeholder="part of the name"
            data-testid="deployment-filter"
          />
        </label>
        <button type="submit">Apply</button>
      </form>
      {page.error && <p className="error">Could not load deployments: {page.error}</p>}
      {runs.error && <p className="error">Could not load recent runs: {runs.error}</p>}
      {page.data &&
        (page.data.items.length === 0 ? (
          <p className="muted">
            No deployments{name ? " match" : " yet: `sluice deploy` creates them from sluice.yaml"}.
          </p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Deployment</th>
                <th>Flow</th>
                <th>Schedules</th>
                <th>Status</th>
                <th>Work pool</th>
                <th>Last runs</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((d) => (
                <tr key={d.id} data-testid="deployment-row">
                  <td>
                    <Link to={deploymentPath(d.id)}>{d.name}</Link>
                  </td>
                  <td>{d.flowName}</td>
                  <td>{schedulesSummary(d)}</td>
                  <td>
                    <DeploymentStatus paused={d.paused} />
                  </td>
                  <td>{d.workPoolName ?? <span className="muted">none</span>}</td>
                  <td>
                    <span className="recent-runs">
                      {(runs.data?.get(d.id) ?? []).map((run) => (
                        <Link key={run.id} to={`/runs/${encodeURIComponent(run.id)}`} className="recent-run">
                          <StateBadge type={run.stateType} name={run.stateName} />
                        </Link>
                      ))}
                      {runs.data && (runs.data.get(d.id)?.length ?? 0) === 0 && (
                        <span className="muted">—</span>
                      )}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      <Pager page={pages.page} nextCursor={nextCursor} onPrevious={pages.previous} onNext={pages.next} />
    </div>
  );
}

/** "active" or "paused", coloured. */
export function DeploymentStatus({ paused }: { paused: boolean }) {
  return (
    <span className={`pool-status ${paused ? "pool-paused" : "pool-ready"}`} data-testid="deployment-status">
      {paused ? "paused" : "active"}
    </span>
  );
}
