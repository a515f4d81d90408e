/** The rows of the timeline: indexes of the nodes that started, by start time, with their times. */
export interface TimelineRows {
  readonly order: readonly number[];
  /** Start and end of each node (by node index) in epoch ms, NaN for none. */
  readonly starts: Float64Array;
  readonly ends: Float64Array;
}

/** The rows of the timeline: nodes that started, by start time (ties: graph order). */
export function timelineRows(
  nodes: readonly { startTime: string | null; endTime: string | null }[],
): TimelineRows {
  const starts = new Float64Array(nodes.length);
  const ends = new Float64Array(nodes.length);
  const order: number[] = [];
  nodes.forEach((n, i) => {
    starts[i] = n.startTime ? Date.parse(n.startTime) : NaN;
    ends[i] = n.endTime ? Date.parse(n.endTime) : NaN;
    if (!Number.isNaN(starts[i])) order.push(i);
  });
  order.sort((a, b) => starts[a]! - starts[b]! || a - b);
  return { order, starts, ends };
}
