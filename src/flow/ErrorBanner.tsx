import { useId, useState } from 'react';
import { useWorkflowSelector } from '../react';
import { useCanvasContext } from './canvasContext';
import { useCanvasMessages } from './CanvasMessagesProvider';
import { formatClock } from './format';
import { useOverflows } from './useOverflows';

/** Props of {@link ErrorBanner}. */
export interface ErrorBannerProps {
  className?: string | undefined;
  /** Called for an error tied to a node; inside `WorkflowCanvas` it centres that node. */
  onNodeSelect?: ((nodeId: string) => void) | undefined;
  /** A node's label; inside `WorkflowCanvas` the graph's labels are used. */
  nodeLabel?: ((nodeId: string) => string) | undefined;
}

/** An entry of the banner: an `error` message, or a reason from `workflow_complete.errors` (no time). */
type Listed = { message: string; nodeId: string | null; time: number | null };

/** A `workflow_complete.errors` entry in words: a string, `{ error | message, node_id? }` (the seed's), or its JSON. */
function completionReason(entry: unknown): Listed {
  const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
  const text = typeof entry === 'string' ? entry : (e.error ?? e.message);
  const nodeId = e.node_id ?? e.nodeId;
  return {
    message: typeof text === 'string' ? text : JSON.stringify(entry),
    nodeId: typeof nodeId === 'string' || typeof nodeId === 'number' ? String(nodeId) : null,
    time: null,
  };
}

/**
 * The run's errors (`error` messages), newest last; an error at a node is a
 * button that shows the node. A failed run with no `error` messages lists the
 * reasons its `workflow_complete` gave instead. Shows nothing while there are none, but keeps an
 * empty assertive live region mounted, so the first error is announced too
 * (a region that appears with its text already in it often is not): the count
 * and the latest message, each time errors arrive (not those already in the
 * snapshot of a run the page joined). A list longer than its box scrolls, and
 * is then a Tab stop of its own, so it scrolls from the keyboard too. Works
 * inside any `WorkflowProvider`.
 *
 * @example
 * <WorkflowProvider workflowId="123"><ErrorBanner onNodeSelect={(id) => highlight(id)} /></WorkflowProvider>
 */
export function ErrorBanner({ className, onNodeSelect, nodeLabel }: ErrorBannerProps) {
  const errors = useWorkflowSelector((s) => s.errors);
  const failed = useWorkflowSelector((s) => s.runStatus === 'failed');
  const cancelled = useWorkflowSelector((s) => s.runStatus === 'cancelled');
  const executionId = useWorkflowSelector((s) => s.executionId);
  const joined = useWorkflowSelector((s) => s.joined);
  // What was already there when the run was first seen (on mount, or the snapshot of a run the page
  // joined) is the starting point: only errors that arrive while watching are announced.
  const [known, setKnown] = useState({ executionId, count: errors.length, failed });
  if (known.executionId !== executionId) setKnown({ executionId, count: joined ? errors.length : 0, failed: joined && failed });
  const completionErrors = useWorkflowSelector((s) => s.completionErrors);
  // A backend that sends no `error` messages may still say why its run failed, in `workflow_complete.errors`.
  const listed: Listed[] = errors.length || !failed ? errors : completionErrors.map(completionReason);
  const canvas = useCanvasContext();
  const messages = useCanvasMessages();
  const select = onNodeSelect ?? canvas.focusNode;
  const name = nodeLabel ?? canvas.labelOf;
  const headingId = useId();
  const [list, setList] = useState<HTMLUListElement | null>(null);
  // Past four or so entries the list scrolls in its box; entries that name no node are plain text,
  // so without a Tab stop of its own a keyboard user could not scroll to the rest.
  const scrolls = useOverflows(list);
  const shown = errors.length > 0 || failed;
  // A cancelled run's only "error" is the cancel itself: the heading says what happened, not "1 error".
  const heading = cancelled ? messages.errorsRunCancelled : errors.length ? messages.errorsCount(errors.length) : messages.errorsRunFailed;
  const latest = listed[listed.length - 1];
  const news = errors.length > known.count || (failed && !known.failed);
  const announcement = shown && news ? messages.errorsAnnouncement(heading, latest ? latest.message : null) : '';

  return (
    <div className="fp-errors-region">
      <p className="fp-visually-hidden" aria-live="assertive" aria-atomic="true">
        {announcement}
      </p>
      {shown && (
        <section className={`fp-errors${className ? ` ${className}` : ''}`} aria-labelledby={headingId}>
          <h2 id={headingId} className="fp-panel-title fp-errors__title">
            <span className="fp-errors__icon" aria-hidden="true">
              !
            </span>
            {heading}
          </h2>
          {listed.length > 0 && (
            <ul
              ref={setList}
              className="fp-errors__list"
              tabIndex={scrolls ? 0 : undefined}
              aria-labelledby={scrolls ? headingId : undefined}
            >
              {listed.map((error, i) => {
                const body = (
                  <>
                    {error.time !== null && (
                      <time className="fp-errors__time" dateTime={new Date(error.time).toISOString()}>
                        {formatClock(error.time)}
                      </time>
                    )}{' '}
                    {/* Spaces between the parts, so the button's accessible name reads as words. */}
                    {error.nodeId !== null && <span className="fp-errors__node">{name(error.nodeId)}</span>}{' '}
                    <span className="fp-errors__message">{error.message}</span>
                  </>
                );
                return (
                  <li key={`${executionId}:${i}`} className="fp-errors__item">
                    {error.nodeId !== null && select ? (
                      <button type="button" className="fp-errors__button" onClick={() => select(error.nodeId as string)}>
                        {body}
                        {/* What the button does, in its name (after the words it shows, which the name must start with). */}{' '}
                        <span className="fp-visually-hidden">{messages.errorsShowNode}</span>
                      </button>
                    ) : (
                      body
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
