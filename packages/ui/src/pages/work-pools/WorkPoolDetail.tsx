import type { Worker } from "@sluice/contracts";
import { useState } from "react";
import { errorMessage, useServices } from "../../lib/app-context.js";
import { formatTime } from "../../lib/format.js";
import { Link } from "../../lib/router.js";
import { useNow } from "../../lib/relative-time.js";
import type { UiServerEvent } from "../../lib/server-events.js";
import { useData } from "../../lib/use-data.js";
import { JobTemplateSummary } from "./JobTemplateSummary.js";
import { PoolQueues } from "./PoolQueues.js";
import { PoolStatus } from "./PoolStatus.js";
import { PoolWorkers } from "./PoolWorkers.js";
import { WaitingRuns } from "./WaitingRuns.js";
import { slotsText } from "./WorkPools.js";

/** A worker is OFFLINE after this many heartbeat intervals without one (the server's rule too). */
const OFFLINE_AFTER_INTERVALS = 3;

/** The worker with its status as of `now`, so it turns OFFLINE on screen when its beats stop. */
function withLiveStatus(worker: Worker, now: number): Worker {
  const silentMs = now - new Date(worker.lastHeartbeatAt).getTime();
  const online = silentMs <= OFFLINE_AFTER_INTERVALS * worker.heartbeatIntervalSeconds * 1000;
  return { ...worker, status: online ? "ONLINE" : "OFFLINE" };
}

/**
 * One work pool: its status and slots, queues, workers with their last heartbeat (ticking), the
 * runs waiting in it and why, and its base job template. Live: worker heartbeats, pool changes and
 * the pool's flow-run states reload the parts they change.
 */
export function WorkPoolDetail({ name }: { name: string }) {
  const { client } = useServices();
  const now = useNow();
  const [actionError, setActionError] = useState<string | undefined>();
  const params = { pool: name };
  const poolEvent = (e: UiServerEvent) => e.kind === "work-pool-changed" && e.workPoolName === name;
  const runEvent = (e: UiServerEvent) => e.kind === "flow-run-state" && e.workPoolName === name;
  const pool = useData(
    () => client.call("readWorkPool", { params }),
    [client, name],
    (e) => poolEvent(e) || (e.kind === "worker-heartbeat" && e.workPoolName === name),
  );
  const queues = useData(() => client.call("listWorkQueues", { params }), [client, name], poolEvent);
  const workers = useData(
    () => client.call("listWorkers", { params }),
    [client, name],
    (e) => e.kind === "worker-heartbeat" && e.workPoolName === name,
  );
  const limits = useData(
    () => client.call("readConcurrency", { query: { workPool: name } }),
    [client, name],
    (e) => poolEvent(e) || runEvent(e) || e.kind === "slot-released",
  );
  const waiting = useData(
    () =>
      client.filterFlowRuns({
        workPoolNames: [name],
        stateTypes: ["SCHEDULED", "PENDING"],
        sort: "EXPECTED_START_TIME_ASC",
        limit: 50,
      }),
    [client, name],
    runEvent,
  );

  const setPaused = async (paused: boolean, queue?: string) => {
    setActionError(undefined);
    try {
      if (queue === undefined) await client.call("updateWorkPool", { params, body: { paused } });
      else await client.call("updateWorkQueue", { params: { pool: name, queue }, body: { paused } });
      pool.reload();
      queues.reload();
      limits.reload();
    } catch (error) {
      setActionError(errorMessage(error));
    }
  };

  if (pool.error && !pool.data) {
    return (
      <div>
        <h1>Work pool {name}</h1>
        <p className="error">
          Could not load work pool {name}: {pool.error}
        </p>
      </div>
    );
  }
  if (!pool.data) return <p className="muted">Loading…</p>;
  const p = pool.data;
  const liveWorkers = (workers.data?.items ?? []).map((w) => withLiveStatus(w, now));
  const usage = limits.data?.limits.find((l) => l.kind === "work-pool");
  return (
    <div>
      <p className="muted">
        <Link to="/work-pools">Work pools</Link> / {p.type}
      </p>
      <h1 className="run-title">
        {p.name} <PoolStatus status={p.status} />
        <button type="button" onClick={() => void setPaused(!p.paused)} data-testid="pool-pause">
          {p.paused ? "Resume" : "Pause"}
        </button>
      </h1>
      {actionError && <p className="error">{actionError}</p>}
      {p.description && <p>{p.description}</p>}
      <dl className="facts">
        <dt>In flight / limit</dt>
        <dd data-testid="pool-slots">{slotsText(usage)}</dd>
        <dt>Waiting (due)</dt>
        <dd>{usage?.waiting ?? "—"}</dd>
        <dt>Online workers</dt>
        <dd>{liveWorkers.filter((w) => w.status === "ONLINE").length}</dd>
        <dt>Default queue</dt>
        <dd>{p.defaultQueueName}</dd>
        <dt>Last polled</dt>
        <dd>{formatTime(p.lastPolledAt)}</dd>
      </dl>

      <h2>Queues</h2>
      {queues.error && <p className="error">Could not load queues: {queues.error}</p>}
      <PoolQueues
        queues={queues.data?.items ?? []}
        limits={limits.data?.limits ?? []}
        onPause={(queue, paused) => void setPaused(paused, queue)}
      />

      <h2>Workers</h2>
      {workers.error && <p className="error">Could not load workers: {workers.error}</p>}
      <PoolWorkers workers={liveWorkers} now={now} />

      <h2>Runs waiting</h2>
      {waiting.error && <p className="error">Could not load waiting runs: {waiting.error}</p>}
      {limits.error && <p className="error">Could not load concurrency: {limits.error}</p>}
      <WaitingRuns
        runs={waiting.data?.items ?? []}
        more={Boolean(waiting.data?.nextCursor)}
        context={{
          pool: p,
          queues: queues.data?.items ?? [],
          workers: liveWorkers,
          limits: limits.data?.limits ?? [],
          now,
        }}
      />

      <h2>Base job template</h2>
      <JobTemplateSummary template={p.baseJobTemplate} />
    </div>
  );
}
