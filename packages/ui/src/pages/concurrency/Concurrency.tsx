import type { ConcurrencyLimitKind, ConcurrencyLimitUsage } from "@sluice/contracts";
import { useServices } from "../../lib/app-context.js";
import { useNow } from "../../lib/relative-time.js";
import { useData } from "../../lib/use-data.js";
import { LimitCard } from "./LimitCard.js";

const SECTIONS: readonly { kind: ConcurrencyLimitKind; title: string; empty: string }[] = [
  { kind: "deployment", title: "Deployments", empty: "No deployment has a concurrency limit." },
  { kind: "work-pool", title: "Work pools", empty: "No work pools." },
  { kind: "work-queue", title: "Work queues", empty: "No work queue has a concurrency limit." },
];

/**
 * Every concurrency limit: deployments (leases), work pools and work queues, each with the runs
 * holding its slots and the runs waiting for one. One request, reloaded on state changes, freed
 * slots and pool changes.
 */
export function Concurrency() {
  const { client } = useServices();
  const now = useNow();
  const overview = useData(
    () => client.call("readConcurrency", { query: {} }),
    [client],
    (e) => e.kind === "flow-run-state" || e.kind === "slot-released" || e.kind === "work-pool-changed",
  );
  const limits: readonly ConcurrencyLimitUsage[] = overview.data?.limits ?? [];
  return (
    <div>
      <h1>Concurrency</h1>
      <p className="muted">
        Who holds each slot and who waits for one. Task concurrency (a flow&apos;s{" "}
        <code>taskConcurrency</code>, <code>SLUICE_TASK_CONCURRENCY</code>, 64 by default) limits tasks inside
        each flow run&apos;s own process: the server does not see those slots, so they are not listed here.
      </p>
      {overview.error && <p className="error">Could not load concurrency limits: {overview.error}</p>}
      {overview.data?.truncated && <p className="muted">Only the first 500 limits of each kind are shown.</p>}
      {overview.data &&
        SECTIONS.map((section) => {
          const shown = limits.filter((l) => l.kind === section.kind);
          return (
            <section key={section.kind} data-testid={`limits-${section.kind}`}>
              <h2>{section.title}</h2>
              {shown.length === 0 ? (
                <p className="muted">{section.empty}</p>
              ) : (
                <div className="limit-cards">
                  {shown.map((limit) => (
                    <LimitCard key={limit.id} limit={limit} now={now} />
                  ))}
                </div>
              )}
            </section>
          );
        })}
    </div>
  );
}
