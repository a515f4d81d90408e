import type { Log } from "@sluice/contracts";
import { useLayoutEffect, useMemo, useRef, useState } from "react";
import { formatTime, levelName } from "../../lib/format.js";
import { Link } from "../../lib/router.js";
import type { LinesChange } from "./use-log-tail.js";

/** Height of one text line of a log message (the CSS sets the same: .log-line line-height). */
export const LOG_LINE_PX = 18;
const VIEW_PX = 480;
/** Rows drawn beyond the visible ones, above and below, so fast scrolling shows no blank. */
const OVERSCAN_PX = 600;

/**
 * Log lines in a scrolling box that renders only the rows in view. Messages keep their line breaks
 * and never wrap (long lines scroll sideways), so each row's height is known from its text and the
 * visible rows are found by binary search, however many lines are loaded.
 */
export function LogList(props: {
  lines: readonly Log[];
  change: LinesChange;
  /** Show a link to each line's task run (on a flow run's page). */
  taskLinks?: boolean;
}) {
  const { lines, change } = props;
  const box = useRef<HTMLDivElement | null>(null);
  const atBottom = useRef(true);
  const [scrollTop, setScrollTop] = useState(0);
  const [unseen, setUnseen] = useState(0);
  const offsets = useMemo(() => {
    const out = new Float64Array(lines.length + 1);
    for (let i = 0; i < lines.length; i += 1) out[i + 1] = out[i]! + rowHeight(lines[i]!);
    return out;
  }, [lines]);
  const total = offsets[lines.length]!;
  const previousCount = useRef(0);

  useLayoutEffect(() => {
    const added = lines.length - previousCount.current;
    previousCount.current = lines.length;
    const el = box.current;
    if (!el || change !== "tail" || added <= 0) {
      if (change === "reset") setUnseen(0);
      return;
    }
    // Following the tail: stay at the bottom if the reader was there, else count what is new.
    if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
      setScrollTop(el.scrollTop);
    } else setUnseen((n) => n + added);
  }, [lines, change]);

  const onScroll = () => {
    const el = box.current;
    if (!el) return;
    atBottom.current = el.scrollTop + el.clientHeight >= el.scrollHeight - LOG_LINE_PX;
    if (atBottom.current) setUnseen(0);
    setScrollTop(el.scrollTop);
  };
  const jumpToLatest = () => {
    const el = box.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    setUnseen(0);
    setScrollTop(el.scrollTop);
  };

  const height = box.current?.clientHeight || VIEW_PX;
  const first = Math.max(0, findRow(offsets, scrollTop - OVERSCAN_PX));
  const last = Math.min(lines.length, findRow(offsets, scrollTop + height + OVERSCAN_PX) + 1);
  const rows = [];
  for (let i = first; i < last; i += 1) {
    const line = lines[i]!;
    const level = levelName(line.level);
    rows.push(
      <div
        key={line.id}
        className={`log-line level-${level.toLowerCase()}`}
        data-testid="log-line"
        style={{ top: offsets[i], height: rowHeight(line) }}
      >
        <span className="log-time">{formatTime(line.timestamp)}</span>
        <span className="log-level">{level}</span>
        {props.taskLinks && (
          <span className="log-task">
            {line.taskRunId ? (
              <Link to={`/task-runs/${line.taskRunId}`} testId="log-task-link">
                task run
              </Link>
            ) : (
              "flow run"
            )}
          </span>
        )}
        <span className="log-message">{line.message}</span>
      </div>,
    );
  }
  return (
    <div className="log-view">
      <div
        className="logs"
        ref={box}
        onScroll={onScroll}
        style={{ maxHeight: VIEW_PX }}
        data-testid="log-list"
        data-lines={lines.length}
      >
        <div className="log-rows" style={{ height: total }}>
          {rows}
        </div>
      </div>
      {unseen > 0 && (
        <button type="button" className="jump-latest" onClick={jumpToLatest} data-testid="jump-to-latest">
          Jump to latest ({unseen} new)
        </button>
      )}
    </div>
  );
}

function rowHeight(line: Log): number {
  let breaks = 0;
  for (let i = line.message.indexOf("\n"); i !== -1; i = line.message.indexOf("\n", i + 1)) breaks += 1;
  return (breaks + 1) * LOG_LINE_PX;
}

/** The index of the row containing offset `y` (offsets: row tops, then the total height). */
function findRow(offsets: Float64Array, y: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  if (hi < 0) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
