import { useWorkflowClientContext, useWorkflowSelector } from '../react';
import { useCanvasMessages } from './CanvasMessagesProvider';
import { authProblem, authText, connectionSummary, type AuthProblem } from './connectionHealth';
import { useHasFocus } from './useHasFocus';

/** Props of {@link AuthNotice}. */
export interface AuthNoticeProps {
  className?: string | undefined;
  /** What to tell the reader after the headline, per problem. @default the messages' `notSignedInDetail` / `notAllowedDetail` (sign in / ask for access) */
  detail?: { [K in AuthProblem]?: string | undefined } | undefined;
  /** Offer "Try again" (a fresh connect, which asks a `token` function anew). @default true */
  showRetry?: boolean | undefined;
}

/**
 * A sign-in refusal, shown as its own alert: the server closed the socket
 * with 4401 ("Not signed in") or 4403/1008 ("Not allowed to watch this
 * workflow"). The client does not retry these, so there is no spinner, only a
 * "Try again" button for after signing in. Renders nothing otherwise. While
 * "Try again" keeps focus after a press, the notice stays and follows the
 * fresh attempt ("Connecting…", then "Connected" or the refusal again), with
 * the button `aria-disabled`, so focus is not dropped. Works inside any
 * `WorkflowProvider`.
 *
 * @example
 * <WorkflowProvider workflowId="123" token={getToken}><AuthNotice /></WorkflowProvider>
 */
export function AuthNotice({ className, detail, showRetry = true }: AuthNoticeProps) {
  const messages = useCanvasMessages();
  const problem = useWorkflowSelector((s) => authProblem(s.connection));
  const summary = useWorkflowSelector((s) => connectionSummary(s.connection, messages));
  const client = useWorkflowClientContext();
  const [retryFocused, retryFocus] = useHasFocus();
  const canRetry = showRetry && client !== null;
  const retrying = !problem && canRetry && retryFocused;
  if (!problem && !retrying) return null;
  const classes = ['fp-notice', 'fp-notice--auth', retrying && 'fp-notice--retrying', className].filter(Boolean).join(' ');
  return (
    <div role="alert" className={classes} data-notice={problem ?? 'retrying'}>
      <span className="fp-notice__icon" aria-hidden="true">
        {problem ? '!' : '…'}
      </span>
      <p className="fp-notice__text">
        {problem ? (
          <>
            <strong>{authText(problem, messages)}</strong>
            <span className="fp-notice__detail">
              {' '}
              {detail?.[problem] ?? (problem === 'unauthenticated' ? messages.notSignedInDetail : messages.notAllowedDetail)}
            </span>
          </>
        ) : (
          <strong>{summary}</strong>
        )}
      </p>
      {canRetry && (
        <button
          type="button"
          className="fp-button"
          aria-disabled={!problem || undefined}
          onClick={() => {
            if (problem) client.reconnect();
          }}
          {...retryFocus}
        >
          {messages.tryAgain}
        </button>
      )}
    </div>
  );
}
