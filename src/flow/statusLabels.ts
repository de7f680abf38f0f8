import type { NodeRunState } from '../core/state';
import { DEFAULT_MESSAGES, statusText } from './canvasMessages';

/**
 * A node's status as shown: the protocol's four, plus `unknown` for a node
 * last seen running in a run the server has forgotten (the state is stale).
 *
 * @example
 * const shown: NodeStatusName = stale && status === 'running' ? 'unknown' : status;
 */
export type NodeStatusName = NodeRunState['status'] | 'unknown';

/**
 * The words shown beside each status's icon, so status never rests on colour alone:
 * the English ones. A translated canvas takes them from its messages
 * (`statusRunning`, …; see `CanvasMessages`).
 *
 * @example
 * STATUS_LABELS.running; // 'Running'
 */
export const STATUS_LABELS: Readonly<Record<NodeStatusName, string>> = {
  pending: statusText(DEFAULT_MESSAGES, 'pending'),
  running: statusText(DEFAULT_MESSAGES, 'running'),
  completed: statusText(DEFAULT_MESSAGES, 'completed'),
  error: statusText(DEFAULT_MESSAGES, 'error'),
  unknown: statusText(DEFAULT_MESSAGES, 'unknown'),
};
