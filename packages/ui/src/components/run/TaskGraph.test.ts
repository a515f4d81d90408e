import { describe, expect, it } from "vitest";
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from "./graph-layout.js";
import { drawEdges } from "./TaskGraph.js";

/** A 2D context that records the calls drawEdges makes. */
function recordingContext() {
  const calls: unknown[][] = [];
  const record =
    (name: string) =>
    (...args: unknown[]) =>
      calls.push([name, ...args]);
  const ctx = {
    save: record("save"),
    restore: record("restore"),
    setTransform: record("setTransform"),
    beginPath: record("beginPath"),
    moveTo: record("moveTo"),
    lineTo: record("lineTo"),
    stroke: record("stroke"),
    set lineWidth(w: number) {
      calls.push(["lineWidth", w]);
    },
    set strokeStyle(s: string) {
      calls.push(["strokeStyle", s]);
    },
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, calls };
}

describe("drawEdges", () => {
  const layout = layoutGraph([
    { id: "a", upstream: [] },
    { id: "b", upstream: ["a"] },
  ]);
  const everything = { x0: -1e9, y0: -1e9, x1: 1e9, y1: 1e9 };

  it("strokes one-device-pixel lines in device pixels, with no transform on the context", () => {
    const { ctx, calls } = recordingContext();
    const view = { scale: 0.5, tx: 10, ty: 20 };
    drawEdges(ctx, layout, view, 2, everything, "grey");
    expect(calls).toContainEqual(["setTransform", 1, 0, 0, 1, 0, 0]);
    expect(calls).toContainEqual(["lineWidth", 1]);
    // a's right side to b's left side, at mid height: (world × scale + offset) × ratio.
    const mid = NODE_HEIGHT / 2;
    const device = (x: number, y: number) => [(x * 0.5 + 10) * 2, (y * 0.5 + 20) * 2];
    expect(calls).toContainEqual(["moveTo", ...device(layout.x[0]! + NODE_WIDTH, layout.y[0]! + mid)]);
    expect(calls).toContainEqual(["lineTo", ...device(layout.x[1]!, layout.y[1]! + mid)]);
    expect(calls.at(-2)).toEqual(["stroke"]);
    expect(calls.at(-1)).toEqual(["restore"]);
  });

  it("leaves out edges wholly outside the view", () => {
    const { ctx, calls } = recordingContext();
    drawEdges(ctx, layout, { scale: 1, tx: 0, ty: 0 }, 1, { x0: 0, y0: 1000, x1: 100, y1: 2000 }, "grey");
    expect(calls.filter(([name]) => name === "moveTo")).toHaveLength(0);
  });
});
