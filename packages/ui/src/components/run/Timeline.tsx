import { useEffect, useMemo, useRef } from "react";
import { navigate } from "../../lib/router.js";
import { useCanvasView, type DrawFrame } from "./canvas-view.js";
import type { Palette } from "./state-colors.js";
import type { GraphNode, RunGraphData } from "./run-graph-data.js";
import { nodeHref } from "./TaskGraph.js";
import type { TimelineRows } from "./timeline-rows.js";

const ROW_HEIGHT = 16;
const AXIS_HEIGHT = 22;
/** Height of the visible window; taller timelines scroll inside it. */
const VIEW_HEIGHT = 320;
const PAD = 8;

/**
 * Each started task run as a bar from its start to its end (running ones end at now and grow live),
 * coloured by state, on a <canvas> that draws only the rows scrolled into view.
 */
export function Timeline({ graph }: { graph: RunGraphData }) {
  const { nodes, rows, slots } = graph;
  const running = useMemo(() => rows.order.some((i) => Number.isNaN(rows.ends[i]!)), [rows]);
  const scroller = useRef<HTMLDivElement | null>(null);
  const { canvasRef, requestDraw } = useCanvasView({
    panZoom: false,
    draw: (frame) => {
      drawTimeline(frame, nodes, slots, rows, scroller.current?.scrollTop ?? 0);
      canvasRef.current!.dataset.drawnRows = String(rows.order.length);
    },
    onClick: (_x, y) => {
      const row = Math.floor((y - AXIS_HEIGHT + (scroller.current?.scrollTop ?? 0)) / ROW_HEIGHT);
      const node = y >= AXIS_HEIGHT ? rows.order[row] : undefined;
      if (node !== undefined) navigate(nodeHref(nodes[node]!));
    },
  });
  useEffect(() => {
    requestDraw();
    if (!running) return;
    // Running bars end at "now": one redraw a second keeps them growing.
    const timer = setInterval(requestDraw, 1000);
    return () => clearInterval(timer);
  }, [rows, running, requestDraw]);

  const total = AXIS_HEIGHT + rows.order.length * ROW_HEIGHT + PAD;
  return (
    <div className="timeline-scroll" ref={scroller} onScroll={requestDraw} style={{ maxHeight: VIEW_HEIGHT }}>
      <canvas
        ref={canvasRef}
        className="timeline-canvas"
        data-testid="timeline"
        role="img"
        aria-label={`Timeline of ${rows.order.length} started task runs`}
        style={{ height: Math.min(VIEW_HEIGHT, total) }}
      />
      <div style={{ height: Math.max(0, total - VIEW_HEIGHT) }} />
    </div>
  );
}

function drawTimeline(
  { ctx, width, height, palette }: DrawFrame,
  nodes: readonly GraphNode[],
  slots: Uint8Array,
  { order, starts, ends }: TimelineRows,
  scrollTop: number,
): void {
  if (order.length === 0) {
    ctx.fillStyle = palette.muted;
    ctx.font = "12px system-ui, sans-serif";
    ctx.fillText("No task run has started.", PAD, AXIS_HEIGHT);
    return;
  }
  const now = Date.now();
  const t0 = starts[order[0]!]!;
  let t1 = t0 + 1;
  for (const i of order) t1 = Math.max(t1, Number.isNaN(ends[i]!) ? now : ends[i]!);
  const span = t1 - t0;
  const toX = (t: number) => PAD + ((t - t0) / span) * (width - 2 * PAD);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT));
  const last = Math.min(order.length, first + Math.ceil(height / ROW_HEIGHT) + 1);
  for (let slot = 0; slot < palette.slots.length; slot += 1) {
    ctx.beginPath();
    for (let r = first; r < last; r += 1) {
      const i = order[r]!;
      if (slots[i] !== slot) continue;
      const left = toX(starts[i]!);
      const right = toX(Number.isNaN(ends[i]!) ? now : ends[i]!);
      const top = AXIS_HEIGHT + r * ROW_HEIGHT - scrollTop + 3;
      ctx.rect(left, top, Math.max(2, right - left), ROW_HEIGHT - 6);
    }
    ctx.fillStyle = palette.slots[slot]!;
    ctx.fill();
  }
  ctx.fillStyle = palette.text;
  ctx.font = "11px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  for (let r = first; r < last; r += 1) {
    const i = order[r]!;
    const right = toX(Number.isNaN(ends[i]!) ? now : ends[i]!);
    const top = AXIS_HEIGHT + r * ROW_HEIGHT - scrollTop;
    const name = nodes[i]!.name;
    // The name right of its bar, or left of it when the bar reaches the right edge.
    const textX = right + 4 + 120 < width ? right + 4 : Math.max(PAD, toX(starts[i]!) - 124);
    ctx.fillText(name, textX, top + ROW_HEIGHT / 2, 120);
  }
  drawAxis(ctx, width, t0, span, toX, palette);
}

/** Tick steps, in ms: a step is chosen so ticks sit about 100 px apart. */
const STEPS = [
  10, 50, 100, 250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000,
];

function drawAxis(
  ctx: CanvasRenderingContext2D,
  width: number,
  t0: number,
  span: number,
  toX: (t: number) => number,
  palette: Palette,
): void {
  ctx.fillStyle = palette.panel;
  ctx.fillRect(0, 0, width, AXIS_HEIGHT);
  ctx.fillStyle = palette.border;
  ctx.fillRect(0, AXIS_HEIGHT - 1, width, 1);
  const wanted = (span * 100) / Math.max(1, width);
  const step = STEPS.find((s) => s >= wanted) ?? 3_600_000 * Math.ceil(wanted / 3_600_000);
  ctx.fillStyle = palette.muted;
  ctx.font = "11px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  for (let t = 0; t <= span; t += step) {
    const x = toX(t0 + t);
    ctx.fillRect(x, AXIS_HEIGHT - 5, 1, 4);
    ctx.fillText(formatOffset(t), x + 3, AXIS_HEIGHT / 2 - 2);
  }
}

function formatOffset(ms: number): string {
  if (ms < 1000) return `+${ms} ms`;
  if (ms < 60_000) return `+${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
  if (ms < 3_600_000) return `+${Math.round(ms / 60_000)} min`;
  return `+${(ms / 3_600_000).toFixed(1)} h`;
}
