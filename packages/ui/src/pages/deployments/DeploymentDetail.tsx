import { StateType, type Deployment } from "@sluice/contracts";
import { useState } from "react";
import { errorMessage, isUnauthorized, useServices } from "../../lib/app-context.js";
import { useUnauthorized } from "../../lib/auth-context.js";
import { navigate } from "../../lib/router.js";
import type { UiServerEvent } from "../../lib/server-events.js";
import { useData } from "../../lib/use-data.js";
import { RunTable } from "../FlowRuns.js";
import { DeploymentConfiguration, ParameterSchemaTable, SchedulesTable } from "./DeploymentSections.js";
import { DeploymentRunForm } from "./DeploymentRunForm.js";
import { deploymentPath, DeploymentStatus } from "./Deployments.js";

/** Every state type but SCHEDULED: the runs list leaves the upcoming runs to their own list. */
const RUN_STATE_TYPES = StateType.options.filter((type) => type !== "SCHEDULED");

const RUNS_SHOWN = 10;

/**
 * One deployment: pause and resume, the run form, its recent and upcoming runs (live, from the
 * flow-run-state events naming it), schedules, parameters and configuration.
 */
export function DeploymentDetail({ id, runFormOpen }: { id: string; runFormOpen: boolean }) {
  const { client } = useServices();
  const onUnauthorized = useUnauthorized();
  const mine = (event: UiServerEvent) => event.kind === "flow-run-state" && event.deploymentId === id;
  // Deployment changes have no event of their own: it reloads after this page's actions and on resync.
  const deployment = useData(
    () => client.call("readDeployment", { params: { id } }),
    [client, id],
    () => false,
  );
  const runs = useData(
    () =>
      client.filterFlowRuns({
        deploymentIds: [id],
        stateTypes: RUN_STATE_TYPES,
        limit: RUNS_SHOWN,
        sort: "EXPECTED_START_TIME_DESC",
      }),
    [client, id],
    mine,
  );
  const upcoming = useData(
    () =>
      client.filterFlowRuns({
        deploymentIds: [id],
        stateTypes: ["SCHEDULED"],
        limit: RUNS_SHOWN,
        sort: "EXPECTED_START_TIME_ASC",
      }),
    [client, id],
    mine,
  );
  const [actionError, setActionError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const setPaused = async (paused: boolean) => {
    setBusy(true);
    setActionError(undefined);
    try {
      await client.call("updateDeployment", { params: { id }, body: { paused } });
      deployment.reload();
    } catch (error) {
      if (isUnauthorized(error)) onUnauthorized();
      setActionError(`Could not ${paused ? "pause" : "resume"} the deployment: ${errorMessage(error)}`);
    } finally {
      setBusy(false);
    }
  };

  if (deployment.error && !deployment.data) {
    return (
      <div>
        <h1>Deployment</h1>
        <p className="error">
          Could not load deployment {id}: {deployment.error}
        </p>
      </div>
    );
  }
  if (!deployment.data) return <p className="muted">Loading…</p>;
  const d: Deployment = deployment.data;
  return (
    <div>
      <p className="muted">{d.flowName} / deployment</p>
      <div className="page-title">
        <h1 className="run-title">
          {d.name} <DeploymentStatus paused={d.paused} />
        </h1>
        <div className="actions">
          {d.paused ? (
            <button type="button" disabled={busy} onClick={() => void setPaused(false)} data-testid="resume">
              Resume
            </button>
          ) : (
            <button type="button" disabled={busy} onClick={() => void setPaused(true)} data-testid="pause">
              Pause
            </button>
          )}
          <button
            type="button"
            className="primary"
            onClick={() => navigate(runFormOpen ? deploymentPath(id) : `${deploymentPath(id)}/run`)}
            data-testid="open-run-form"
          >
            {runFormOpen ? "Close run form" : "Run…"}
          </button>
        </div>
      </div>
      {d.description && <p>{d.description}</p>}
      {actionError && <p className="error">{actionError}</p>}
      {d.paused && (
        <p className="muted">Paused: the scheduler creates no runs for it; runs started here still run.</p>
      )}
      {runFormOpen && <DeploymentRunForm key={d.id} deployment={d} />}

      <h2>Runs</h2>
      {runs.error && <p className="error">Could not load runs: {runs.error}</p>}
      {runs.data &&
        (runs.data.items.length === 0 ? (
          <p className="muted">No runs yet.</p>
        ) : (
          <RunTable runs={runs.data.items} />
        ))}

      <h2>Upcoming runs</h2>
      {upcoming.error && <p className="error">Could not load upcoming runs: {upcoming.error}</p>}
      {upcoming.data &&
        (upcoming.data.items.length === 0 ? (
          <p className="muted">None scheduled.</p>
        ) : (
          <div data-testid="upcoming-runs">
            <RunTable runs={upcoming.data.items} />
          </div>
        ))}

      <h2>Schedules</h2>
      <SchedulesTable deployment={d} />

      <h2>Parameters</h2>
      <p className="muted">Defaults, merged under each run&apos;s own:</p>
      <pre data-testid="default-parameters">{JSON.stringify(d.parameters, null, 2)}</pre>
      <ParameterSchemaTable deployment={d} />

      <h2>Configuration</h2>
      <DeploymentConfiguration deployment={d} />
    </div>
  );
}
