import { describe, expect, it } from "vitest";
import { layoutGraph } from "./graph-layout.js";
import { prepareRunGraph, type GraphNode } from "./run-graph-data.js";

function node(
  id: string,
  stateType: string | null,
  startTime: string | null,
  ...upstream: string[]
): GraphNode {
  return {
    id,
    name: id,
    kind: "task-run",
    stateType: stateType as GraphNode["stateType"],
    stateName: stateType && stateType[0] + stateType.slice(1).toLowerCase(),
    startTime,
    endTime: null,
    upstream,
    childFlowRunId: null,
  };
}

describe("prepareRunGraph", () => {
  const nodes = [
    node("a", "COMPLETED", "2026-01-01T00:00:02.000Z"),
    node("b", "FAILED", "2026-01-01T00:00:01.000Z", "a"),
    node("c", null, null, "a", "b"),
  ];

  it("computes the layout, colour slots, state summary and timeline rows of the nodes", async () => {
    const graph = await prepareRunGraph(nodes);
    expect(graph.nodes).toBe(nodes);
    expect(graph.layout).toEqual(layoutGraph(nodes));
    expect([...graph.slots]).toEqual([0, 1, 4]);
    expect(graph.summary).toBe("1 Completed, 1 Failed, 1 no state");
    // Started nodes only, by start time.
    expect(graph.rows.order).toEqual([1, 0]);
    expect(graph.rows.starts[0]).toBe(Date.parse("2026-01-01T00:00:02.000Z"));
    expect(Number.isNaN(graph.rows.ends[0]!)).toBe(true);
  });

  it("yields to the event loop before each step, so each runs in a task of its own", async () => {
    const steps: string[] = [];
    const pause = () => {
      steps.push("pause");
      return Promise.resolve();
    };
    const graph = await prepareRunGraph(nodes, pause);
    expect(steps).toEqual(["pause", "pause", "pause"]);
    expect(graph.layout.layerCount).toBe(3);
  });
});
