import type { FlowRunHistory, StateType } from "@sluice/contracts";
import { navigate } from "../../lib/router.js";

/** Stacking order, bottom to top: the common outcomes first, the ones to notice on top. */
const STACK: readonly StateType[] = [
  "COMPLETED",
  "RUNNING",
  "PENDING",
  "SCHEDULED",
  "PAUSED",
  "CANCELLING",
  "CANCELLED",
  "FAILED",
  "CRASHED",
];

const WIDTH = 720;
const HEIGHT = 180;
const AXIS = 20;

function label(iso: string, spanMs: number): string {
  const date = new Date(iso);
  return spanMs > 2 * 86_400_000
    ? date.toLocaleDateString(undefined, { month: "short", day: "numeric" })
    : date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

/**
 * Flow runs per time bucket as stacked bars by state type, drawn as plain SVG (no chart library).
 * Each bar names its counts in a tooltip and opens the runs of its bucket.
 */
export function ActivityChart({ history }: { history: FlowRunHistory }) {
  const totals = history.buckets.map((b) => b.counts.reduce((sum, c) => sum + c.count, 0));
  const max = Math.max(1, ...totals);
  const slot = WIDTH / Math.max(1, history.buckets.length);
  const spanMs = Date.parse(history.until) - Date.parse(history.since);
  const chartHeight = HEIGHT - AXIS;
  const present = STACK.filter((type) =>
    history.buckets.some((b) => b.counts.some((c) => c.stateType === type)),
  );
  return (
    <figure className="activity-chart" data-testid="activity-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label="Flow runs over time by state">
        <line x1={0} x2={WIDTH} y1={chartHeight} y2={chartHeight} className="axis" />
        {history.buckets.map((bucket, i) => {
          let y = chartHeight;
          const title = [
            `${label(bucket.start, spanMs)} – ${label(bucket.end, spanMs)}: ${totals[i]} flow runs`,
            ...bucket.counts.map((c) => `${c.stateType.toLowerCase()}: ${c.count}`),
          ].join("\n");
          const open = () =>
            navigate(`/runs?from=${encodeURIComponent(bucket.start)}&to=${encodeURIComponent(bucket.end)}`);
          return (
            <g key={bucket.start} className="bar" data-testid="activity-bar" onClick={open}>
              <title>{title}</title>
              <rect x={i * slot} y={0} width={slot} height={chartHeight} className="bar-hit" />
              {STACK.map((type) => {
                const count = bucket.counts.find((c) => c.stateType === type)?.count ?? 0;
                if (count === 0) return null;
                const height = (count / max) * (chartHeight - 4);
                y -= height;
                return (
                  <rect
                    key={type}
                    x={i * slot + slot * 0.1}
                    y={y}
                    width={slot * 0.8}
                    height={Math.max(height, 1)}
                    className={`bar-${type.toLowerCase()}`}
                    data-state={type}
                    data-count={count}
                  />
                );
              })}
            </g>
          );
        })}
        <text x={2} y={12} className="axis-label">
          {max}
        </text>
        {[0, Math.floor(history.buckets.length / 2), history.buckets.length - 1].map((i) => {
          const bucket = history.buckets[i];
          if (!bucket) return null;
          const anchor = i === 0 ? "start" : i === history.buckets.length - 1 ? "end" : "middle";
          const x = i === history.buckets.length - 1 ? WIDTH : i * slot + (i === 0 ? 0 : slot / 2);
          return (
            <text key={i} x={x} y={HEIGHT - 4} textAnchor={anchor} className="axis-label">
              {label(i === history.buckets.length - 1 ? bucket.end : bucket.start, spanMs)}
            </text>
          );
        })}
      </svg>
      <figcaption className="legend">
        {present.map((type) => (
          <span key={type} className="legend-item">
            <svg width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" className={`bar-${type.toLowerCase()}`} />
            </svg>
            {type.toLowerCase()}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
