import { useEffect, useRef } from "react";
import { navigate } from "../../lib/router.js";
import { useCanvasView, type DrawFrame, type View } from "./canvas-view.js";
import { NODE_HEIGHT, NODE_WIDTH, type GraphLayout } from "./graph-layout.js";
import type { GraphNode, RunGraphData } from "./run-graph-data.js";
import { COLOR_SLOTS } from "./state-colors.js";

/** Below this zoom the nodes are plain coloured boxes: names would be unreadable anyway. */
const LABEL_SCALE = 0.55;
/** Most edges drawn in one frame; the rest are sampled (see drawGraph). */
const MAX_EDGES = 2500;
/** Most names drawn in one frame: text is the expensive part of a frame. */
const MAX_LABELS = 1500;

/** Where a node opens: a task run's page, or a subflow's flow-run page. */
export function nodeHref(node: GraphNode): string {
  return node.kind === "flow-run"
    ? `/runs/${encodeURIComponent(node.id)}`
    : `/task-runs/${encodeURIComponent(node.id)}`;
}

/**
 * A flow run's task graph on a <canvas>: layered left to right by recorded task inputs, coloured by
 * state; drag to pan, wheel to zoom, click a node to open it. The layout comes computed with the
 * data (prepareRunGraph) and only the nodes and edges in view are drawn, so 10,000 task runs pan
 * smoothly.
 */
export function TaskGraph({ graph }: { graph: RunGraphData }) {
  const { nodes, layout, slots } = graph;
  const { canvasRef, requestDraw, fit } = useCanvasView({
    minScale: 0.01,
    draw: (frame) => {
      drawGraph(frame, nodes, layout, slots);
      canvasRef.current!.dataset.drawnNodes = String(nodes.length);
    },
    onClick: (x, y) => {
      const hit = nodeAt(layout, x, y);
      if (hit !== undefined) navigate(nodeHref(nodes[hit]!));
    },
  });
  // Fit the first time there is something to show; later data changes keep the user's view.
  const fitted = useRef(false);
  useEffect(() => {
    if (!fitted.current && nodes.length > 0) {
      fitted.current = true;
      fit(layout);
    }
    requestDraw();
  }, [layout, nodes, fit, requestDraw]);

  const summary = `${nodes.length.toLocaleString("en")} task runs in ${layout.layerCount} layers${
    nodes.length > 0 ? `: ${graph.summary}` : ""
  }${layout.hadCycle ? " (the recorded inputs form a cycle)" : ""}`;
  return (
    <div className="run-canvas">
      <div className="run-canvas-bar">
        <span className="muted" data-testid="graph-summary">
          {summary}
        </span>
        <button type="button" className="link-button" onClick={() => fit(layout)}>
          Fit
        </button>
      </div>
      <canvas
        ref={canvasRef}
        className="graph-canvas"
        data-testid="task-graph"
        role="img"
        aria-label={`Task graph: ${summary}`}
      />
    </div>
  );
}

/** The node under a point of the drawing, if any. */
export function nodeAt(layout: GraphLayout, x: number, y: number): number | undefined {
  for (let i = 0; i < layout.x.length; i += 1) {
    const left = layout.x[i]!;
    const top = layout.y[i]!;
    if (x >= left && x <= left + NODE_WIDTH && y >= top && y <= top + NODE_HEIGHT) return i;
  }
  return undefined;
}

function drawGraph(
  { ctx, view, width, height, ratio, palette }: DrawFrame,
  nodes: readonly GraphNode[],
  layout: GraphLayout,
  slots: Uint8Array,
): void {
  const { scale, tx, ty } = view;
  // The visible part of the drawing, in layout units.
  const x0 = -tx / scale;
  const y0 = -ty / scale;
  const x1 = (width - tx) / scale;
  const y1 = (height - ty) / scale;
  drawEdges(ctx, layout, view, ratio, { x0, y0, x1, y1 }, palette.edge);
  ctx.save();
  ctx.translate(tx, ty);
  ctx.scale(scale, scale);
  const { x, y } = layout;
  const mid = NODE_HEIGHT / 2;
  const visible: number[] = [];
  for (let i = 0; i < nodes.length; i += 1) {
    if (x[i]! + NODE_WIDTH < x0 || x[i]! > x1 || y[i]! + NODE_HEIGHT < y0 || y[i]! > y1) continue;
    visible.push(i);
  }
  const detailed = scale >= LABEL_SCALE;
  // fillRect per box rather than one path of boxes: axis-aligned rectangles take the rasteriser's
  // fast path, a path of thousands of them does not.
  if (detailed) {
    ctx.fillStyle = palette.panel;
    for (const i of visible) ctx.fillRect(x[i]!, y[i]!, NODE_WIDTH, NODE_HEIGHT);
  }
  for (let slot = 0; slot < COLOR_SLOTS.length; slot += 1) {
    ctx.fillStyle = palette.slots[slot]!;
    ctx.strokeStyle = palette.slots[slot]!;
    ctx.lineWidth = 1 / scale;
    for (const i of visible) {
      if (slots[i] !== slot) continue;
      if (!detailed) {
        ctx.fillRect(x[i]!, y[i]!, NODE_WIDTH, NODE_HEIGHT);
        continue;
      }
      ctx.fillRect(x[i]!, y[i]!, 5, NODE_HEIGHT);
      ctx.strokeRect(x[i]!, y[i]!, NODE_WIDTH, NODE_HEIGHT);
    }
  }
  if (detailed && visible.length <= MAX_LABELS) {
    ctx.fillStyle = palette.text;
    ctx.font = "12px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    for (const i of visible) {
      ctx.fillText(clip(nodes[i]!.name), x[i]! + 10, y[i]! + mid, NODE_WIDTH - 14);
    }
  }
  ctx.restore();
}

/**
 * The edges in view as one path of one-device-pixel lines, in device pixels with no transform on the
 * context. Skia draws a line that thin as a hairline; the same line stroked through the view's scale
 * (width 1/scale, which rounding makes a hair over one pixel) takes its general stroker, about 15
 * times slower: 30 to 60 ms for the 2,500 edges of a fitted 10,000-node graph in headless chromium,
 * paid when the frame is committed.
 */
export function drawEdges(
  ctx: CanvasRenderingContext2D,
  { x, y, edges }: GraphLayout,
  { scale, tx, ty }: View,
  ratio: number,
  box: { x0: number; y0: number; x1: number; y1: number },
  color: string,
): void {
  const mid = NODE_HEIGHT / 2;
  const inView: number[] = [];
  for (let e = 0; e < edges.length; e += 2) {
    const ax = x[edges[e]!]! + NODE_WIDTH;
    const ay = y[edges[e]!]! + mid;
    const bx = x[edges[e + 1]!]!;
    const by = y[edges[e + 1]!]! + mid;
    if (
      Math.max(ax, bx) < box.x0 ||
      Math.min(ax, bx) > box.x1 ||
      Math.max(ay, by) < box.y0 ||
      Math.min(ay, by) > box.y1
    )
      continue;
    inView.push(e);
  }
  // Past MAX_EDGES in view (zoomed far out on a large graph) an even sample is drawn: the lines
  // then form a band whose look does not change, and rasterising every one costs seconds.
  const stride = Math.max(1, Math.ceil(inView.length / MAX_EDGES));
  const k = scale * ratio;
  const ox = tx * ratio;
  const oy = ty * ratio;
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.strokeStyle = color;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let i = 0; i < inView.length; i += stride) {
    const e = inView[i]!;
    ctx.moveTo((x[edges[e]!]! + NODE_WIDTH) * k + ox, (y[edges[e]!]! + mid) * k + oy);
    ctx.lineTo(x[edges[e + 1]!]! * k + ox, (y[edges[e + 1]!]! + mid) * k + oy);
  }
  ctx.stroke();
  ctx.restore();
}

/** Node names longer than a box holds are cut (fillText's maxWidth would squeeze them instead). */
function clip(name: string): string {
  return name.length > 22 ? `${name.slice(0, 21)}…` : name;
}
