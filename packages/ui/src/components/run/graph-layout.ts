/**
 * The task graph's layout: longest-path layering (a task sits one layer right of its deepest
 * upstream task), then an order inside each layer by the mean row of its upstream tasks (one
 * barycentre pass), then coordinates. Everything is O(nodes + edges) but the per-layer sorts, so a
 * flow run with 10,000 task runs lays out in a few milliseconds, once per data change.
 */

/** What the layout needs of a node: its id and the ids of the nodes that fed it. */
export interface LayoutInput {
  readonly id: string;
  readonly upstream: readonly string[];
}

/** Where each node goes; arrays are indexed like the input nodes. */
export interface GraphLayout {
  /** Layer (column group) of each node; sources are layer 0. */
  readonly layer: Int32Array;
  /** Left and top of each node's box, in layout units. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Edges as pairs of node indexes, upstream first: [from0, to0, from1, to1, ...]. */
  readonly edges: Int32Array;
  readonly layerCount: number;
  /** Size of the whole drawing, in layout units. */
  readonly width: number;
  readonly height: number;
  /** True when the input had a cycle (recorded task inputs cannot, but the layout must still end). */
  readonly hadCycle: boolean;
}

/** Box size and gaps, in layout units (CSS pixels at zoom 1). */
export const NODE_WIDTH = 160;
export const NODE_HEIGHT = 24;
const COLUMN_GAP = 60;
const ROW_GAP = 8;
/** A layer taller than this many nodes wraps into several columns, so a wide fan-out stays a block. */
const MAX_ROWS = 100;

/** Lays out `nodes`; upstream ids naming no node are ignored. */
export function layoutGraph(nodes: readonly LayoutInput[]): GraphLayout {
  const n = nodes.length;
  const index = new Map<string, number>();
  nodes.forEach((node, i) => index.set(node.id, i));
  const edges = collectEdges(nodes, index);
  const { layer, hadCycle } = assignLayers(n, edges);
  let layerCount = 0;
  for (let i = 0; i < n; i += 1) layerCount = Math.max(layerCount, layer[i]! + 1);
  const members = orderLayers(n, layer, layerCount, edges);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let left = 0;
  let height = 0;
  for (const column of members) {
    const columns = Math.ceil(column.length / MAX_ROWS);
    column.forEach((node, row) => {
      x[node] = left + Math.floor(row / MAX_ROWS) * (NODE_WIDTH + COLUMN_GAP / 2);
      y[node] = (row % MAX_ROWS) * (NODE_HEIGHT + ROW_GAP);
    });
    height = Math.max(height, Math.min(column.length, MAX_ROWS) * (NODE_HEIGHT + ROW_GAP) - ROW_GAP);
    left += columns * NODE_WIDTH + (columns - 1) * (COLUMN_GAP / 2) + COLUMN_GAP;
  }
  return {
    layer,
    x,
    y,
    edges,
    layerCount,
    width: Math.max(0, left - COLUMN_GAP),
    height: Math.max(0, height),
    hadCycle,
  };
}

/** Adjacency in compressed form: the neighbours of node i are `targets[start[i]..start[i+1])`. */
interface Adjacency {
  readonly start: Int32Array;
  readonly targets: Int32Array;
}

function adjacency(n: number, edges: Int32Array, fromOffset: 0 | 1): Adjacency {
  const toOffset = 1 - fromOffset;
  const start = new Int32Array(n + 1);
  for (let e = 0; e < edges.length; e += 2) start[edges[e + fromOffset]! + 1]! += 1;
  for (let i = 0; i < n; i += 1) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const targets = new Int32Array(edges.length / 2);
  for (let e = 0; e < edges.length; e += 2) {
    const from = edges[e + fromOffset]!;
    targets[fill[from]!] = edges[e + toOffset]!;
    fill[from]! += 1;
  }
  return { start, targets };
}

function collectEdges(nodes: readonly LayoutInput[], index: Map<string, number>) {
  const pairs: number[] = [];
  nodes.forEach((node, to) => {
    for (const id of new Set(node.upstream)) {
      const from = index.get(id);
      if (from !== undefined && from !== to) pairs.push(from, to);
    }
  });
  return Int32Array.from(pairs);
}

/** Kahn's topological order; a node's layer is one more than its deepest upstream node's. */
function assignLayers(n: number, edges: Int32Array): { layer: Int32Array; hadCycle: boolean } {
  const downstream = adjacency(n, edges, 0);
  const indegree = new Int32Array(n);
  for (let e = 1; e < edges.length; e += 2) indegree[edges[e]!]! += 1;
  const layer = new Int32Array(n);
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < n; i += 1) if (indegree[i] === 0) queue[tail++] = i;
  const drain = () => {
    while (head < tail) {
      const node = queue[head++]!;
      for (let k = downstream.start[node]!; k < downstream.start[node + 1]!; k += 1) {
        const next = downstream.targets[k]!;
        if (indegree[next]! <= 0) continue; // already released from a cycle
        layer[next] = Math.max(layer[next]!, layer[node]! + 1);
        indegree[next]! -= 1;
        if (indegree[next] === 0) queue[tail++] = next;
      }
    }
  };
  drain();
  let hadCycle = false;
  // Nodes left over sit on a cycle or behind one: release them one at a time, in input order, as if
  // the edges still pending into them were absent. Each node is queued once, so this ends.
  for (let i = 0; i < n; i += 1) {
    if (indegree[i]! <= 0) continue;
    hadCycle = true;
    indegree[i] = 0;
    queue[tail++] = i;
    drain();
  }
  return { layer, hadCycle };
}

/** The nodes of each layer, ordered by the mean row of their upstream nodes (ties: input order). */
function orderLayers(n: number, layer: Int32Array, layerCount: number, edges: Int32Array): number[][] {
  const upstream = adjacency(n, edges, 1);
  const members: number[][] = Array.from({ length: layerCount }, () => []);
  for (let i = 0; i < n; i += 1) members[layer[i]!]!.push(i);
  const row = new Float64Array(n);
  const key = new Float64Array(n);
  members[0]?.forEach((node, r) => (row[node] = r));
  for (let l = 1; l < layerCount; l += 1) {
    const column = members[l]!;
    for (const node of column) {
      let sum = 0;
      let count = 0;
      for (let k = upstream.start[node]!; k < upstream.start[node + 1]!; k += 1) {
        const from = upstream.targets[k]!;
        // Only edges from earlier layers count (an edge that closed a cycle may point back).
        if (layer[from]! < l) {
          sum += row[from]!;
          count += 1;
        }
      }
      key[node] = count > 0 ? sum / count : Number.MAX_SAFE_INTEGER;
    }
    column.sort((a, b) => key[a]! - key[b]! || a - b);
    column.forEach((node, r) => (row[node] = r));
  }
  return members;
}
