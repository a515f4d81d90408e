import { StateType, type StateCount } from "@sluice/contracts";
import { StateBadge } from "../../components/StateBadge.js";
import { Link } from "../../lib/router.js";

/** Counts by state type, and state names worth seeing on their own (Late, AwaitingRetry, ...). */
function summarise(items: readonly StateCount[]) {
  const byType = new Map<string, number>();
  const named: StateCount[] = [];
  for (const item of items) {
    byType.set(item.stateType, (byType.get(item.stateType) ?? 0) + item.count);
    const plain = item.stateName.toUpperCase() === item.stateType;
    if (!plain) named.push(item);
  }
  return { byType, named };
}

/**
 * Runs by state type in the window, every type shown (zeros too, so the layout does not jump);
 * refined state names such as Late below. With `link`, each count opens the runs list filtered to it.
 */
export function StateCountList(props: {
  items: readonly StateCount[];
  testIdPrefix: string;
  link?: (type: string, name?: string) => string;
}) {
  const { byType, named } = summarise(props.items);
  const total = [...byType.values()].reduce((a, b) => a + b, 0);
  const cell = (key: string, count: number, badge: { type: string; name: string }, to?: string) => {
    const body = (
      <>
        <span className="count">{count.toLocaleString()}</span>
        <StateBadge type={badge.type} name={badge.name} />
      </>
    );
    return to ? (
      <Link key={key} to={to} className="state-count" testId={`${props.testIdPrefix}-${key}`}>
        {body}
      </Link>
    ) : (
      <span key={key} className="state-count" data-testid={`${props.testIdPrefix}-${key}`}>
        {body}
      </span>
    );
  };
  return (
    <div>
      <div className="state-counts">
        <span className="state-count total" data-testid={`${props.testIdPrefix}-total`}>
          <span className="count">{total.toLocaleString()}</span>
          <span className="muted">all</span>
        </span>
        {StateType.options.map((type) =>
          cell(type, byType.get(type) ?? 0, { type, name: type.toLowerCase() }, props.link?.(type)),
        )}
      </div>
      {named.length > 0 && (
        <div className="state-counts named">
          {named.map((item) =>
            cell(
              `${item.stateType}-${item.stateName}`,
              item.count,
              { type: item.stateType, name: item.stateName },
              props.link?.(item.stateType, item.stateName),
            ),
          )}
        </div>
      )}
    </div>
  );
}
