import dagre from '@dagrejs/dagre';
import { Position, type Edge, type Node, type XYPosition } from '@xyflow/react';

/** Options of {@link layoutNodes}. */
export interface LayoutOptions {
  /** Rank direction. @default 'TB' */
  direction?: 'TB' | 'BT' | 'LR' | 'RL';
  /** Node size the layout assumes; match it to the CSS `--fp-node-width`. @default 180 */
  nodeWidth?: number;
  /** @default 72 */
  nodeHeight?: number;
  /** Space between ranks. @default 60 */
  rankSep?: number;
  /** Space between nodes of one rank. @default 30 */
  nodeSep?: number;
}

type Positionable = Omit<Node, 'position'> & { position?: XYPosition };

const HANDLES: Record<NonNullable<LayoutOptions['direction']>, [Position, Position]> = {
  TB: [Position.Top, Position.Bottom],
  BT: [Position.Bottom, Position.Top],
  LR: [Position.Left, Position.Right],
  RL: [Position.Right, Position.Left],
};

/**
 * Places nodes that have no position with dagre's layered layout (top to
 * bottom by default); nodes with a position keep it. dagre rather than elkjs:
 * it is synchronous (a memoized layout is ready on the first render, no
 * worker or promise), small, and a layered layout is all a workflow DAG needs.
 *
 * @example
 * const placed = layoutNodes([{ id: 'a', data: {} }, { id: 'b', data: {} }], [{ id: 'e', source: 'a', target: 'b' }]);
 */
export function layoutNodes<N extends Positionable>(
  nodes: readonly N[],
  edges: readonly Pick<Edge, 'source' | 'target'>[],
  options: LayoutOptions = {},
): Array<N & Node> {
  const { direction = 'TB', nodeWidth = 180, nodeHeight = 72, rankSep = 60, nodeSep = 30 } = options;
  const [targetPosition, sourcePosition] = HANDLES[direction];
  const missing = nodes.filter((n) => !n.position);
  if (!missing.length) return nodes as Array<N & Node>;

  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: direction, ranksep: rankSep, nodesep: nodeSep });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set<string>();
  for (const n of missing) {
    ids.add(n.id);
    g.setNode(n.id, { width: n.width ?? nodeWidth, height: n.height ?? nodeHeight });
  }
  for (const e of edges) if (ids.has(e.source) && ids.has(e.target) && e.source !== e.target) g.setEdge(e.source, e.target);
  dagre.layout(g);

  return nodes.map((n) => {
    if (n.position) return n as N & Node;
    const placed = g.node(n.id) as { x: number; y: number; width: number; height: number };
    // dagre gives centres; React Flow wants top-left corners.
    return {
      targetPosition,
      sourcePosition,
      ...n,
      position: { x: placed.x - placed.width / 2, y: placed.y - placed.height / 2 },
    } as N & Node;
  });
}
