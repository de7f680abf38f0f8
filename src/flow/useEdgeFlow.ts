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
  for (let i = flows.length - 1; i >= 0; i--) {
    const flow = flows[i] as EdgeFlow;
    if (flow.edgeId === edgeId) return flow;
    const byEnds = flow.sourceNodeId === source && flow.targetNodeId === target;
    if (byEnds && (flow.edgeId === null || !canvasHasEdge(flow.edgeId))) return flow;
  }
  return undefined;
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
