import { describe, expect, it } from "vitest";
import { layoutGraph, NODE_HEIGHT } from "./graph-layout.js";

const node = (id: string, ...upstream: string[]) => ({ id, upstream });

describe("layoutGraph", () => {
  it("puts each node one layer right of its deepest upstream node (longest path)", () => {
    // a -> b -> c, and a -> c directly: c sits after b, not beside it.
    const layout = layoutGraph([node("a"), node("b", "a"), node("c", "a", "b"), node("d")]);
    expect([...layout.layer]).toEqual([0, 1, 2, 0]);
    expect(layout.layerCount).toBe(3);
    expect(layout.hadCycle).toBe(false);
    expect([...layout.edges]).toEqual([0, 1, 0, 2, 1, 2]);
    // Left to right by layer; the two sources stack in one column.
    expect(layout.x[0]).toBe(layout.x[3]);
    expect(layout.x[1]).toBeGreaterThan(layout.x[0]!);
    expect(layout.x[2]).toBeGreaterThan(layout.x[1]!);
    expect(layout.y[3]).toBeGreaterThanOrEqual(layout.y[0]! + NODE_HEIGHT);
  });

  it("ignores upstream ids naming no node, duplicates and self references", () => {
    const layout = layoutGraph([node("a", "gone", "a"), node("b", "a", "a")]);
    expect([...layout.layer]).toEqual([0, 1]);
    expect([...layout.edges]).toEqual([0, 1]);
  });

  it("orders a layer by the rows of its upstream nodes, so edges do not cross needlessly", () => {
    // Sources s0, s1; their children were created in the opposite order.
    const layout = layoutGraph([node("s0"), node("s1"), node("c1", "s1"), node("c0", "s0")]);
    expect(layout.y[3]).toBeLessThan(layout.y[2]!);
  });

  it("ends on a cycle, placing every node and saying so", () => {
    const layout = layoutGraph([node("a", "c"), node("b", "a"), node("c", "b"), node("d", "c")]);
    expect(layout.hadCycle).toBe(true);
    expect(new Set(layout.layer).size).toBeGreaterThan(1);
    for (const l of layout.layer) expect(l).toBeGreaterThanOrEqual(0);
    // d still comes after c.
    expect(layout.layer[3]).toBeGreaterThan(layout.layer[2]!);
  });

  it("wraps a wide layer into several columns and gives every node its own box", () => {
    const nodes = [node("root"), ...Array.from({ length: 250 }, (_, i) => node(`t${i}`, "root"))];
    const layout = layoutGraph(nodes);
    const boxes = new Set(nodes.map((_, i) => `${layout.x[i]},${layout.y[i]}`));
    expect(boxes.size).toBe(nodes.length);
    expect(new Set(nodes.slice(1).map((_, i) => layout.x[i + 1])).size).toBe(3);
    expect(layout.width).toBeGreaterThan(0);
    expect(layout.height).toBeGreaterThan(0);
  });

  it("lays out nothing for no nodes", () => {
    const layout = layoutGraph([]);
    expect(layout.layerCount).toBe(0);
    expect(layout.width).toBe(0);
  });
});
