import type { ConcurrencyLimitUsage } from "@sluice/contracts";
import { Pager } from "../../components/Pager.js";
import { useServices } from "../../lib/app-context.js";
import { Link } from "../../lib/router.js";
import { useCursorPages } from "../../lib/use-cursor-pages.js";
import { useData } from "../../lib/use-data.js";
import { PoolStatus } from "./PoolStatus.js";

const PAGE_SIZE = 50;

/** "2 / 5" runs in flight against the limit, or "2 / no limit". */
export function slotsText(usage: Pick<ConcurrencyLimitUsage, "inUse" | "limit"> | undefined): string {
  if (!usage) return "—";
  return `${usage.inUse} / ${usage.limit ?? "no limit"}`;
}

/**
 * Work pools by name: type, status, runs in flight against the pool's limit, runs waiting, and
 * online workers. Two requests per view (the pools, the concurrency overview), reloaded on the
 * live events that change them.
 */
export function WorkPools() {
  const { client } = useServices();
  const pages = useCursorPages("");
  const pools = useData(
    () =>
      client.call("filterWorkPools", {
        body: { limit: PAGE_SIZE, ...(pages.cursor ? { cursor: pages.cursor } : {}) },
      }),
    [client, pages.cursor],
    (event) => event.kind === "work-pool-changed" || event.kind === "worker-heartbeat",
  );
  const usage = useData(
    async () => {
      const { limits } = await client.call("readConcurrency", { query: {} });
      return new Map(limits.filter((l) => l.kind === "work-pool").map((l) => [l.name, l]));
    },
    [client],
    (event) =>
      (event.kind === "flow-run-state" && Boolean(event.workPoolName)) || event.kind === "work-pool-changed",
  );
  return (
    <div>
      <h1>Work pools</h1>
      {pools.error && <p className="error">Could not load work pools: {pools.error}</p>}
      {usage.error && <p className="error">Could not load runs in flight: {usage.error}</p>}
      {pools.data &&
        (pools.data.items.length === 0 ? (
          <p className="muted">
            No work pools. Create one with <code>sluice work-pool create NAME</code>.
          </p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Pool</th>
                <th>Type</th>
                <th>Status</th>
                <th title="Runs PENDING, RUNNING or CANCELLING, against the pool's limit">
                  In flight / limit
                </th>
                <th title="SCHEDULED runs that are due">Waiting</th>
                <th>Online workers</th>
              </tr>
            </thead>
            <tbody>
              {pools.data.items.map((pool) => {
                const used = usage.data?.get(pool.name);
                return (
                  <tr key={pool.id} data-testid="work-pool-row">
                    <td>
                      <Link to={`/work-pools/${encodeURIComponent(pool.name)}`}>{pool.name}</Link>
                    </td>
                    <td>{pool.type}</td>
                    <td>
                      <PoolStatus status={pool.status} />
                    </td>
                    <td data-testid="pool-slots">{slotsText(used)}</td>
                    <td>{used?.waiting ?? "—"}</td>
                    <td data-testid="pool-online-workers">{pool.onlineWorkers}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ))}
      <Pager
        page={pages.page}
        nextCursor={pools.data?.nextCursor}
        onPrevious={pages.previous}
        onNext={pages.next}
      />
    </div>
  );
}
