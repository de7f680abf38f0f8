import { useCallback } from 'react';
import type { NodeRunState, WorkflowState } from '../core/state';
import { useWorkflowSelector } from './useWorkflowSelector';

const PENDING: NodeRunState = { status: 'pending' };

/**
 * A node's run state in `state`, `pending` while the run has not mentioned it.
 * Own entries only: a node called `constructor` is not Object's.
 *
 * @example
 * nodeRunState(store.getState(), 'fetch').status; // 'running'
 */
export const nodeRunState = (state: WorkflowState, nodeId: string): NodeRunState =>
  Object.hasOwn(state.nodeStatuses, nodeId) ? state.nodeStatuses[nodeId]! : PENDING;

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
  return useWorkflowSelector(useCallback((s) => nodeRunState(s, nodeId), [nodeId]));
}
