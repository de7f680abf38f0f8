import { useWorkflowSelector } from '../react';
import { useCanvasMessages } from './CanvasMessagesProvider';

/** Props of {@link StaleRunNotice}. */
export interface StaleRunNoticeProps {
  className?: string | undefined;
  /** @default 'The server no longer knows this run — showing the last known state' (the messages' `staleRun`) */
  message?: string | undefined;
}

/**
 * Says so when the server has forgotten the run on screen (it restarted):
 * what the canvas shows is the last thing heard, and nodes that were running
 * are shown as "Unknown", not pulsing. The live region is always in the DOM
 * (empty while the run is known), so screen readers announce the notice when
 * it appears. Works inside any `WorkflowProvider`.
 *
 * @example
 * <WorkflowProvider workflowId="123"><StaleRunNotice /></WorkflowProvider>
 */
export function StaleRunNotice({ className, message }: StaleRunNoticeProps) {
  const stale = useWorkflowSelector((s) => s.stale);
  const messages = useCanvasMessages();
  return (
    <div className={`fp-notice-region${className ? ` ${className}` : ''}`} aria-live="polite">
      {stale && (
        <div className="fp-notice fp-notice--stale" data-notice="stale">
          <span className="fp-notice__icon" aria-hidden="true">
            ?
          </span>
          <p className="fp-notice__text">
            <strong>{message ?? messages.staleRun}</strong>
            <span className="fp-notice__detail"> {messages.staleRunDetail}</span>
          </p>
        </div>
      )}
    </div>
  );
}
