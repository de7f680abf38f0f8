// The synchronous layout, for apps that lay nodes out themselves: it imports dagre, so the build gives it
// a chunk of its own (vite.config.ts) that bundlers drop, dagre included, from apps that do not import it.
import type { Edge, Node } from '@xyflow/react';
import { placeMissing } from './dagreLayout';
import { layoutHandles, type LayoutOptions, type Positionable } from './layout';

/**
 * Places nodes that have no position with dagre's layered layout (top to
 * bottom by default); nodes with a position keep it and are part of the
 * layout, so a missing node lands next to its neighbours rather than on its
 * own. dagre rather than elkjs: it is synchronous (no worker, no promise),
 * small, and a layered layout is all a workflow DAG needs. Graphs of more
 * than 250 nodes are ranked with dagre's tight tree (its default, network
 * simplex, takes seconds there), so their layout may differ a little.
 *
 * Importing this function puts dagre (about 17 KB min+gzip) in your bundle.
 * The canvas does not need it: it loads dagre by itself, and only when a node
 * has no position (see `preloadLayout`).
 *
 * @example
 * const placed = layoutNodes([{ id: 'a', data: {} }, { id: 'b', data: {} }], [{ id: 'e', source: 'a', target: 'b' }]);
 */
export function layoutNodes<N extends Positionable>(
  nodes: readonly N[],
  edges: readonly Pick<Edge, 'source' | 'target'>[],
  options: LayoutOptions = {},
): Array<N & Node> {
  if (!nodes.some((n) => !n.position)) return nodes as Array<N & Node>;
  const [targetPosition, sourcePosition] = layoutHandles(options.direction);
  const placed = placeMissing(nodes, edges, options);
  return nodes.map((n) => {
    if (n.position) return n as N & Node;
    return { targetPosition, sourcePosition, ...n, position: placed.get(n.id) } as N & Node;
  });
}
