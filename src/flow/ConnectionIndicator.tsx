import type { ConnectionState } from '../core/state';
import { useWorkflowClientContext, useWorkflowSelector } from '../react';

const WHY: Record<NonNullable<ConnectionState['why']>, string> = {
  'not-started': 'not started',
  client: 'closed',
  server: 'closed by the server',
  fatal: 'refused by the server',
  'max-attempts': 'gave up reconnecting',
  'heartbeat-timeout': 'the server stopped answering',
  offline: 'offline',
  error: 'connection error',
};

/**
 * The words for a connection state: `Connected`, `Reconnecting (attempt 3)…`,
 * `Disconnected: refused by the server (4404 workflow not found)`.
 *
 * @example
 * connectionText({ status: 'open', attempt: 0, why: null, closeCode: null, closeReason: null, nextRetryAt: null }); // 'Connected'
 */
export function connectionText(c: ConnectionState): string {
  const code = c.closeCode === null ? '' : ` (${c.closeCode}${c.closeReason ? ` ${c.closeReason}` : ''})`;
  switch (c.status) {
    case 'open':
      return 'Connected';
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return `Reconnecting (attempt ${Math.max(1, c.attempt)})…${c.why ? ` — ${WHY[c.why]}` : ''}`;
    case 'closed':
      return `Disconnected${c.why ? `: ${WHY[c.why]}` : ''}${code}`;
  }
}

/** Props of {@link ConnectionIndicator}. */
export interface ConnectionIndicatorProps {
  className?: string;
  /** Offer a "Reconnect" button while not connected. @default true */
  showRetry?: boolean;
}

/**
 * The socket's state as a shape and words (connected, connecting, reconnecting
 * with the attempt number, closed with the reason and close code), in a
 * `role="status"` region. Works inside any `WorkflowProvider`.
 *
 * @example
 * <WorkflowProvider workflowId="123"><ConnectionIndicator /></WorkflowProvider>
 */
export function ConnectionIndicator({ className, showRetry = true }: ConnectionIndicatorProps) {
  const connection = useWorkflowSelector((s) => s.connection);
  const client = useWorkflowClientContext();
  const retry =
    showRetry && client && (connection.status === 'closed' || connection.status === 'reconnecting') && connection.why !== 'not-started';
  return (
    <div className={`fp-connection fp-connection--${connection.status}${className ? ` ${className}` : ''}`} data-status={connection.status}>
      <span className="fp-connection__dot" aria-hidden="true" />
      <span role="status" className="fp-connection__text">
        {connectionText(connection)}
      </span>
      {retry && (
        <button type="button" className="fp-button fp-connection__retry" onClick={() => client.reconnect()}>
          Reconnect
        </button>
      )}
    </div>
  );
}
