import { useCallback } from 'react';
import type { NodeRunState } from '../core/state';
import { useWorkflowSelector } from './useWorkflowSelector';

const PENDING: NodeRunState = { status: 'pending' };

/**
 * One node's run state. Only this node's changes re-render the caller.
 * A node the current run has not mentioned is `pending`.
 *
 * @example
 * function Badge({ id }: { id: string }) {
 *   const { status, durationMs } = useNodeStatus(id);
 *   return <span>{status}{durationMs !== undefined && ` ${durationMs} ms`}</span>;
 * }
 */
export function useNodeStatus(nodeId: string): NodeRunState {
  // Own entries only: a node called `constructor` is not Object's.
  return useWorkflowSelector(useCallback((s) => (Object.hasOwn(s.nodeStatuses, nodeId) ? s.nodeStatuses[nodeId]! : PENDING), [nodeId]));
}
