import type { ConcurrencyLimitUsage, ConcurrencySlotRun } from "@sluice/contracts";
import { StateBadge } from "../../components/StateBadge.js";
import { formatSpan } from "../../lib/relative-time.js";
import { Link } from "../../lib/router.js";

function SlotRuns(props: {
  title: string;
  runs: readonly ConcurrencySlotRun[];
  total: number;
  now: number;
  sinceLabel: string;
  testId: string;
}) {
  return (
    <div className="slot-runs" data-testid={props.testId}>
      <h3>
        {props.title} <span className="muted">({props.total})</span>
      </h3>
      {props.runs.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul>
          {props.runs.map((run) => (
            <li key={run.flowRunId} data-testid="slot-run">
              <Link to={`/runs/${encodeURIComponent(run.flowRunId)}`}>{run.flowRunName}</Link>{" "}
              <StateBadge type={run.stateType} name={run.stateName} />{" "}
              <span className="muted" title={run.since}>
                {props.sinceLabel} {formatSpan(Math.max(0, props.now - new Date(run.since).getTime()))}
              </span>
            </li>
          ))}
          {props.total > props.runs.length && (
            <li className="muted">and {props.total - props.runs.length} more</li>
          )}
        </ul>
      )}
    </div>
  );
}

const KIND_LABEL = { deployment: "deployment", "work-pool": "work pool", "work-queue": "work queue" };

/** One limit: slots in use against it, its holders and its waiters. */
export function LimitCard({ limit, now }: { limit: ConcurrencyLimitUsage; now: number }) {
  const isFull = limit.limit !== null && limit.inUse >= limit.limit;
  const title =
    limit.kind === "work-pool" ? (
      <Link to={`/work-pools/${encodeURIComponent(limit.name)}`}>{limit.name}</Link>
    ) : (
      limit.name
    );
  return (
    <article className="limit-card" data-testid="limit-card" data-name={limit.name}>
      <header>
        <strong>{title}</strong> <span className="muted">{KIND_LABEL[limit.kind]}</span>
        {limit.kind === "work-queue" && limit.workPoolName && (
          <span className="muted"> of {limit.workPoolName}</span>
        )}
        {limit.paused && <span className="pool-status pool-paused"> PAUSED</span>}
      </header>
      <p className={isFull ? "slots slots-full" : "slots"} data-testid="limit-slots">
        {limit.limit === null
          ? `${limit.inUse} in flight · no limit`
          : `${limit.inUse} / ${limit.limit} slots in use`}
        {limit.collisionStrategy && <span className="muted"> · when full: {limit.collisionStrategy}</span>}
        {limit.kind === "deployment" && limit.workPoolName && (
          <span className="muted"> · pool {limit.workPoolName}</span>
        )}
      </p>
      <div className="slot-columns">
        <SlotRuns
          title="Holding"
          runs={limit.holders}
          total={limit.inUse}
          now={now}
          sinceLabel="held"
          testId="holders"
        />
        <SlotRuns
          title="Waiting"
          runs={limit.waiters}
          total={limit.waiting}
          now={now}
          sinceLabel="waiting"
          testId="waiters"
        />
      </div>
    </article>
  );
}
