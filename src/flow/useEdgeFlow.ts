import { useCallback } from 'react';
import { useStoreApi } from '@xyflow/react';
import type { EdgeFlow } from '../core/state';
import { useWorkflowSelector } from '../react';

/**
 * The newest flow on an edge, or `undefined`. A flow names its edge by
 * `edgeId` when the server gave one, otherwise by its source and target. When
 * no edge on the canvas carries the server's id (a graph given without edge
 * ids), the flow falls back to its source and target, as the seed spec does.
 *
 * @example
 * latestEdgeFlow(state.edgeFlows, 'a->b', 'a', 'b', (id) => edges.has(id));
 */
export function latestEdgeFlow(
  flows: readonly EdgeFlow[],
  edgeId: string,
  source: string,
  target: string,
  canvasHasEdge: (id: string) => boolean = () => false,
): EdgeFlow | undefined {
  const index = indexOf(flows);
  const byId = index.byEdgeId.get(edgeId);
  const byEnds = index.byEnds.get(source)?.get(target);
  // Only flows between these two nodes are scanned, newest first, and only back to the one named by id.
  if (byEnds) {
    for (let i = byEnds.length - 1; i >= 0 && byEnds[i]! > (byId ?? -1); i--) {
      const flow = flows[byEnds[i]!]!;
      if (flow.edgeId === null || !canvasHasEdge(flow.edgeId)) return flow;
    }
  }
  return byId === undefined ? undefined : flows[byId];
}

interface FlowIndex {
  /** Position of the newest flow naming each edge id. */
  byEdgeId: Map<string, number>;
  /** Positions of the flows from each source to each target, oldest first. */
  byEnds: Map<string, Map<string, number[]>>;
}

// Built once per flow list and shared by every edge on the canvas: a store update then costs each
// edge two lookups, where a scan of the list per edge grew with edges × live flows.
const indexes = new WeakMap<readonly EdgeFlow[], FlowIndex>();

function indexOf(flows: readonly EdgeFlow[]): FlowIndex {
  let index = indexes.get(flows);
  if (index) return index;
  index = { byEdgeId: new Map(), byEnds: new Map() };
  flows.forEach((flow, i) => {
    if (flow.edgeId !== null) index.byEdgeId.set(flow.edgeId, i);
    let targets = index.byEnds.get(flow.sourceNodeId);
    if (!targets) index.byEnds.set(flow.sourceNodeId, (targets = new Map()));
    const list = targets.get(flow.targetNodeId);
    if (list) list.push(i);
    else targets.set(flow.targetNodeId, [i]);
  });
  indexes.set(flows, index);
  return index;
}

/**
 * The flow passing along one edge now, until the store expires it (3 s by
 * default). Returns the store's own object, so only a new flow on this edge,
 * or its expiry, re-renders the caller.
 *
 * @example
 * const flow = useEdgeFlow(id, source, target);
 * return <path className={flow ? 'fp-edge--flowing' : undefined} d={path} />;
 */
export function useEdgeFlow(edgeId: string, source: string, target: string): EdgeFlow | undefined {
  const flowStore = useStoreApi();
  return useWorkflowSelector(
    useCallback(
      (s) => latestEdgeFlow(s.edgeFlows, edgeId, source, target, (id) => flowStore.getState().edgeLookup.has(id)),
      [edgeId, source, target, flowStore],
    ),
  );
}
