import { yieldToEventLoop } from "@sluice/client";
import type { FlowRunGraph } from "@sluice/contracts";
import { layoutGraph, type GraphLayout } from "./graph-layout.js";
import { colorSlot, stateSummary } from "./state-colors.js";
import { timelineRows, type TimelineRows } from "./timeline-rows.js";

export type GraphNode = FlowRunGraph["nodes"][number];

/** A flow run's graph with what its drawings need computed once per answer. */
export interface RunGraphData {
  readonly nodes: readonly GraphNode[];
  /** Where each node goes in the task graph. */
  readonly layout: GraphLayout;
  /** Colour slot of each node (see state-colors). */
  readonly slots: Uint8Array;
  /** Counts by state, for the graph's accessible summary. */
  readonly summary: string;
  /** The timeline's rows. */
  readonly rows: TimelineRows;
}

/**
 * Computes what the task graph and the timeline draw, yielding to the event loop between the
 * steps: for 10,000 task runs the layout alone takes about 30 ms in chromium, and run in the same
 * task as checking the answer and rendering, the steps would add up to one long frame.
 */
export async function prepareRunGraph(
  nodes: readonly GraphNode[],
  pause: () => Promise<void> = yieldToEventLoop,
): Promise<RunGraphData> {
  await pause();
  const layout = layoutGraph(nodes);
  await pause();
  const rows = timelineRows(nodes);
  const slots = Uint8Array.from(nodes, (n) => colorSlot(n.stateType));
  const summary = stateSummary(nodes);
  await pause();
  return { nodes, layout, slots, summary, rows };
}
