import { useState } from 'react';
import { useWorkflowClientContext, useWorkflowSelector } from '../react';
import { useCanvasMessages } from './CanvasMessagesProvider';
import { connectionAttempt, connectionHealth, connectionSummary, type ConnectionHealth } from './connectionHealth';
import { useHasFocus } from './useHasFocus';
import { usePrefersReducedMotion } from './usePrefersReducedMotion';

// One shape per kind of state, so it reads without colour: a disc, an open arc
// (spinning while it tries), a pause sign, a dash, a square, a warning
// triangle and a padlock.
const ICONS: Record<ConnectionHealth, string> = {
  connected: 'M8 3a5 5 0 1 0 0 10A5 5 0 0 0 8 3Z',
  connecting: 'M8 2.5a5.5 5.5 0 1 0 5.5 5.5h-2A3.5 3.5 0 1 1 8 4.5Z',
  reconnecting: 'M8 2.5a5.5 5.5 0 1 0 5.5 5.5h-2A3.5 3.5 0 1 1 8 4.5Z',
  stalled: 'M4.5 3.5h2.5v9H4.5Zm4.5 0h2.5v9H9Z',
  offline: 'M2.5 7h11v2h-11Z',
  disconnected: 'M3.5 3.5h9v9h-9Z',
  error: 'M8 2 14.5 13.5h-13ZM7.2 6v4h1.6V6Zm0 5v1.5h1.6V11Z',
  unauthenticated: 'M5 7V5.5a3 3 0 0 1 6 0V7h1v6.5H4V7Zm1.6 0h2.8V5.5a1.4 1.4 0 0 0-2.8 0Z',
  forbidden: 'M5 7V5.5a3 3 0 0 1 6 0V7h1v6.5H4V7Zm1.6 0h2.8V5.5a1.4 1.4 0 0 0-2.8 0Z',
};

/** Props of {@link ConnectionIndicator}. Its words are the messages' (see `CanvasMessagesProvider`). */
export interface ConnectionIndicatorProps {
  className?: string | undefined;
  /** Offer a "Reconnect" button ("Try again" after a sign-in refusal) while not connected. @default true */
  showRetry?: boolean | undefined;
  /**
   * Announce sign-in refusals in the status region. `WorkflowCanvas` turns it off while its
   * `AuthNotice` (an alert) says the same, so a screen reader hears it once.
   * @default true
   */
  announceAuth?: boolean | undefined;
}

/**
 * The socket's state as a shape and words: connected, connecting and
 * reconnecting (an arc that spins, except under `prefers-reduced-motion`),
 * stalled (the server stopped answering), disconnected, connection errors, and
 * sign-in refusals ("Not signed in", "Not allowed to watch this workflow"),
 * which never spin: the client does not retry them. The words
 * ({@link connectionSummary}) are a `role="status"` region; the attempt number
 * shown beside them while reconnecting is not, so a retry loop is announced
 * once, not at every attempt. The retry button stays (`aria-disabled`) while
 * it has focus after it did its job, so focus is never dropped.
 * `data-health` carries the {@link ConnectionHealth}.
 * Works inside any `WorkflowProvider`.
 *
 * @example
 * <WorkflowProvider workflowId="123"><ConnectionIndicator /></WorkflowProvider>
 */
export function ConnectionIndicator({ className, showRetry = true, announceAuth = true }: ConnectionIndicatorProps) {
  const connection = useWorkflowSelector((s) => s.connection);
  const client = useWorkflowClientContext();
  const reduced = usePrefersReducedMotion();
  const health = connectionHealth(connection);
  const auth = health === 'unauthenticated' || health === 'forbidden';
  // Only a plain (re)connect spins: a stalled, offline or refused socket is waiting, not working.
  const spinning = (health === 'connecting' || health === 'reconnecting') && !reduced;
  const retry =
    showRetry && client && (connection.status === 'closed' || connection.status === 'reconnecting') && connection.why !== 'not-started';
  const [retryFocused, retryFocus] = useHasFocus();
  // The button keeps the name it had when pressed, rather than renaming itself under focus.
  // The kind of name is kept, not the words: a change of language still renames it.
  const [retryKind, setRetryKind] = useState<'reconnect' | 'tryAgain'>('reconnect');
  const wantedKind = auth ? 'tryAgain' : 'reconnect';
  if (retry && retryKind !== wantedKind) setRetryKind(wantedKind);
  const messages = useCanvasMessages();
  const retryLabel = messages[retryKind];
  const attempt = connectionAttempt(connection, messages);
  const summary = connectionSummary(connection, messages);
  return (
    <div
      className={`fp-connection fp-connection--${connection.status} fp-connection--${health}${className ? ` ${className}` : ''}`}
      data-status={connection.status}
      data-health={health}
    >
      <svg
        className={`fp-connection__icon${spinning ? ' fp-connection__icon--spin' : ''}`}
        viewBox="0 0 16 16"
        width="14"
        height="14"
        aria-hidden="true"
        focusable="false"
      >
        <path d={ICONS[health]} fill="currentColor" fillRule="evenodd" />
      </svg>
      <span className="fp-connection__text">
        {/* The status region stays mounted (a region that appears with its text is often not read). */}
        <span role="status">{auth && !announceAuth ? null : summary}</span>
        {auth && !announceAuth && <span>{summary}</span>}
        {attempt && <span className="fp-connection__attempt"> ({attempt})</span>}
      </span>
      {client && showRetry && (retry || retryFocused) && (
        <button
          type="button"
          className="fp-button fp-connection__retry"
          aria-disabled={!retry || undefined}
          onClick={() => {
            if (retry) client.reconnect();
          }}
          {...retryFocus}
        >
          {retryLabel}
        </button>
      )}
    </div>
  );
}
