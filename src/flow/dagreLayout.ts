// The only module that imports dagre (about 17 KB min+gzip). Canvases load it with import() when a node
// has no position (layoutEngine.ts); the build gives it a chunk of its own (vite.config.ts).
import dagre from '@dagrejs/dagre';
import type { Edge, XYPosition } from '@xyflow/react';
import { rankDirection, type LayoutItem, type LayoutOptions } from './layout';

/** Graphs larger than this are ranked the quick way. */
const LARGE_GRAPH_NODES = 250;

/**
 * Positions (top-left corners) for the items without one. The whole graph goes
 * to dagre, placed items included, so a new node is ranked among its
 * neighbours; placed items never move. dagre's frame is then matched to the
 * placed items': each new node is shifted by the mean offset (actual minus
 * dagre position) of its already-resolved neighbours, spreading outwards from
 * the placed ones, or by the mean offset of all placed items when it has none.
 *
 * @example
 * const positions = placeMissing([{ id: 'a', position: { x: 0, y: 0 } }, { id: 'b' }], [{ source: 'a', target: 'b' }]);
 */
export function placeMissing(
  items: readonly LayoutItem[],
  edges: readonly Pick<Edge, 'source' | 'target'>[],
  options: LayoutOptions = {},
): Map<string, XYPosition> {
  const { nodeWidth = 180, nodeHeight = 72, rankSep = 60, nodeSep = 30 } = options;
  const direction = rankDirection(options.direction);
  const placedOut = new Map<string, XYPosition>();
  if (!items.some((n) => !n.position)) return placedOut;

  const g = new dagre.graphlib.Graph();
  // dagre's best ranking (network simplex) grows about with the square of the graph: 17 s at 1000
  // nodes, all of it blocking the page. Past a few hundred nodes a tight tree ranks in about 1 s.
  const ranker = items.length > LARGE_GRAPH_NODES ? 'tight-tree' : 'network-simplex';
  g.setGraph({ rankdir: direction, ranksep: rankSep, nodesep: nodeSep, ranker });
  g.setDefaultEdgeLabel(() => ({}));
  const byId = new Map<string, LayoutItem>();
  // dagre keeps nodes in plain objects keyed by name: an id like `constructor` breaks it and `__proto__`
  // pollutes Object.prototype. It gets index names instead.
  const key = new Map<string, string>();
  items.forEach((n, i) => {
    byId.set(n.id, n);
    key.set(n.id, `n${i}`);
    g.setNode(`n${i}`, { width: n.width ?? nodeWidth, height: n.height ?? nodeHeight });
  });
  const neighbours = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    const list = neighbours.get(a);
    if (list) list.push(b);
    else neighbours.set(a, [b]);
  };
  for (const e of edges) {
    if (e.source === e.target || !byId.has(e.source) || !byId.has(e.target)) continue;
    g.setEdge(key.get(e.source)!, key.get(e.target)!);
    link(e.source, e.target);
    link(e.target, e.source);
  }
  dagre.layout(g);

  // dagre gives centres; React Flow wants top-left corners.
  const corner = (id: string): XYPosition => {
    const box = g.node(key.get(id)!) as { x: number; y: number; width: number; height: number };
    return { x: box.x - box.width / 2, y: box.y - box.height / 2 };
  };
  const offsets = new Map<string, XYPosition>();
  let sumX = 0;
  let sumY = 0;
  for (const n of items) {
    if (!n.position) continue;
    const laid = corner(n.id);
    const offset = { x: n.position.x - laid.x, y: n.position.y - laid.y };
    offsets.set(n.id, offset);
    sumX += offset.x;
    sumY += offset.y;
  }
  const overall = offsets.size ? { x: sumX / offsets.size, y: sumY / offsets.size } : { x: 0, y: 0 };

  // Breadth first from the placed items, so a new chain follows the node it hangs from.
  let pending = items.filter((n) => !n.position).map((n) => n.id);
  while (pending.length) {
    const next: string[] = [];
    const resolved: Array<[string, XYPosition]> = [];
    for (const id of pending) {
      const known = (neighbours.get(id) ?? []).map((other) => offsets.get(other)).filter((o): o is XYPosition => o !== undefined);
      if (!known.length) {
        next.push(id);
        continue;
      }
      const x = known.reduce((sum, o) => sum + o.x, 0) / known.length;
      const y = known.reduce((sum, o) => sum + o.y, 0) / known.length;
      resolved.push([id, { x, y }]);
    }
    // Offsets found in this round count from the next one on: the result does not depend on the order of `items`.
    for (const [id, offset] of resolved) offsets.set(id, offset);
    if (!resolved.length) {
      for (const id of next) offsets.set(id, overall);
      break;
    }
    pending = next;
  }
  for (const n of items) {
    if (n.position) continue;
    const laid = corner(n.id);
    const offset = offsets.get(n.id) ?? overall;
    placedOut.set(n.id, { x: laid.x + offset.x, y: laid.y + offset.y });
  }
  return placedOut;
}
