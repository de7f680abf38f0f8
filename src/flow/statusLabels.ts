import type { NodeRunState } from '../core/state';

/**
 * A node's status as shown: the protocol's four, plus `unknown` for a node
 * last seen running in a run the server has forgotten (the state is stale).
 *
 * @example
 * const shown: NodeStatusName = stale && status === 'running' ? 'unknown' : status;
 */
export type NodeStatusName = NodeRunState['status'] | 'unknown';

/**
 * The words shown beside each status's icon, so status never rests on colour alone.
 *
 * @example
 * STATUS_LABELS.running; // 'Running'
 */
export const STATUS_LABELS: Readonly<Record<NodeStatusName, string>> = {
  pending: 'Pending',
  running: 'Running',
  completed: 'Completed',
  error: 'Error',
  unknown: 'Unknown',
};
