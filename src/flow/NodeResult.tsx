import { useLayoutEffect, useMemo, useRef } from 'react';
import type { NodeRunState } from '../core/state';
import type { UseWorkflowControlOptions } from '../control';
import { BoundedText } from './BoundedText';
import { DEFAULT_MESSAGES } from './canvasMessages';
import { useCanvasMessages } from './CanvasMessagesProvider';
import { formatValue } from './format';
import { useHasFocus } from './useHasFocus';
import { useNodeResult } from './useNodeResult';

/** Props of {@link NodeResult}. */
export interface NodeResultProps {
  nodeId: string;
  run: NodeRunState;
  /** REST options for fetching a `resultRef` (`token`, `fetch`, `apiBaseUrl`). */
  control?: UseWorkflowControlOptions | undefined;
  /** Characters shown before "Show all". @default 20000 */
  limit?: number | undefined;
}

/**
 * A node's result, pretty-printed and bounded ({@link BoundedText}). A result
 * too large for the stream (`resultRef`) is fetched when this mounts, with a
 * loading line, and an error with "Try again" if the fetch fails. The result is
 * `aria-busy` while loading; the result itself is not read out (it can be
 * megabytes): a small polite region says "Result loaded (N characters)", or
 * that the fetch failed. "Try again" stays (`aria-disabled`) while it has
 * focus during the new fetch, and hands focus to the result once it is in.
 *
 * @example
 * <NodeResult nodeId="fetch" run={useNodeStatus('fetch')} control={{ token }} />
 */
export function NodeResult({ nodeId, run, control, limit }: NodeResultProps) {
  const result = useNodeResult(nodeId, run, control);
  const messages = useCanvasMessages();
  // Pretty-printing megabytes is the slow part: once per value, not per render (nor per catalog:
  // of the messages, only the word for no result counts here).
  const none = messages.resultNone;
  const text = useMemo(
    () => (result.status === 'ready' ? formatValue(result.value, { ...DEFAULT_MESSAGES, resultNone: none }) : ''),
    [result.status, result.value, none],
  );
  const outcome =
    result.status === 'ready' ? messages.resultLoaded(text.length) : result.status === 'error' ? messages.resultLoadFailed : '';
  const [retryFocused, retryFocus] = useHasFocus();
  const box = useRef<HTMLDivElement>(null);
  const failed = result.status === 'error';
  const showRetry = failed || (result.status === 'loading' && retryFocused);
  useLayoutEffect(() => {
    if (result.status !== 'ready' || !retryFocused) return;
    retryFocus.onBlur();
    if (!document.activeElement || document.activeElement === document.body) box.current?.querySelector<HTMLElement>('pre')?.focus();
  }, [result.status, retryFocused, retryFocus]);
  return (
    <>
      {/* Outside the busy region, which would hold its announcements back. */}
      <p className="fp-visually-hidden" aria-live="polite">
        {outcome}
      </p>
      <div ref={box} className="fp-result" aria-busy={result.status === 'loading'}>
        {result.status === 'loading' && <p className="fp-result__loading">{messages.resultLoading}</p>}
        {showRetry && (
          <div className={failed ? 'fp-result__error' : 'fp-result__retry'}>
            {failed && <p>{messages.resultLoadError(result.error ?? '')}</p>}
            <button
              type="button"
              className="fp-button"
              aria-disabled={!failed || undefined}
              onClick={() => {
                if (failed) result.retry();
              }}
              {...retryFocus}
            >
              {messages.tryAgain}
            </button>
          </div>
        )}
        {result.status === 'ready' && <BoundedText text={text} limit={limit} />}
        {run.resultRef && <p className="fp-result__ref">{messages.resultFetchedFrom(<code>{run.resultRef}</code>)}</p>}
      </div>
    </>
  );
}
