import { useCallback } from 'react';
import type { EdgeFlow } from '../core/state';
import { useWorkflowSelector } from '../react';

/**
 * The newest flow on an edge, or `undefined`. A flow names its edge by
 * `edgeId` when the server gave one, otherwise by its source and target.
 *
 * @example
 * latestEdgeFlow(state.edgeFlows, 'a->b', 'a', 'b');
 */
export function latestEdgeFlow(flows: readonly EdgeFlow[], edgeId: string, source: string, target: string): EdgeFlow | undefined {
  for (let i = flows.length - 1; i >= 0; i--) {
    const flow = flows[i] as EdgeFlow;
    const matches = flow.edgeId !== null ? flow.edgeId === edgeId : flow.sourceNodeId === source && flow.targetNodeId === target;
    if (matches) return flow;
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
  return useWorkflowSelector(useCallback((s) => latestEdgeFlow(s.edgeFlows, edgeId, source, target), [edgeId, source, target]));
}
