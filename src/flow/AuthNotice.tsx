import { useWorkflowClientContext, useWorkflowSelector } from '../react';
import { AUTH_TEXT, authProblem } from './connectionHealth';

const DETAIL = {
  unauthenticated: 'Sign in, then try again.',
  forbidden: 'Your account cannot watch this workflow. Ask its owner for access.',
} as const;

/** Props of {@link AuthNotice}. */
export interface AuthNoticeProps {
  className?: string;
  /** What to tell the reader after the headline, per problem. @default sign in / ask for access */
  detail?: Partial<Record<keyof typeof DETAIL, string>>;
  /** Offer "Try again" (a fresh connect, which asks a `token` function anew). @default true */
  showRetry?: boolean;
}

/**
 * A sign-in refusal, shown as its own alert: the server closed the socket
 * with 4401 ("Not signed in") or 4403/1008 ("Not allowed to watch this
 * workflow"). The client does not retry these, so there is no spinner, only a
 * "Try again" button for after signing in. Renders nothing otherwise. Works
 * inside any `WorkflowProvider`.
 *
 * @example
 * <WorkflowProvider workflowId="123" token={getToken}><AuthNotice /></WorkflowProvider>
 */
export function AuthNotice({ className, detail, showRetry = true }: AuthNoticeProps) {
  const problem = useWorkflowSelector((s) => authProblem(s.connection));
  const client = useWorkflowClientContext();
  if (!problem) return null;
  return (
    <div role="alert" className={`fp-notice fp-notice--auth${className ? ` ${className}` : ''}`} data-notice={problem}>
      <span className="fp-notice__icon" aria-hidden="true">
        !
      </span>
      <p className="fp-notice__text">
        <strong>{AUTH_TEXT[problem]}</strong>
        <span className="fp-notice__detail"> {detail?.[problem] ?? DETAIL[problem]}</span>
      </p>
      {showRetry && client && (
        <button type="button" className="fp-button" onClick={() => client.reconnect()}>
          Try again
        </button>
      )}
    </div>
  );
}
