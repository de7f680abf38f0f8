import { useLayoutEffect, useMemo, useRef } from 'react';
import type { NodeRunState } from '../core/state';
import type { UseWorkflowControlOptions } from '../control';
import { BoundedText } from './BoundedText';
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
  // Pretty-printing megabytes is the slow part: once per value, not per render.
  const text = useMemo(() => (result.status === 'ready' ? formatValue(result.value) : ''), [result.status, result.value]);
  const outcome =
    result.status === 'ready'
      ? `Result loaded (${text.length.toLocaleString('en')} ${text.length === 1 ? 'character' : 'characters'})`
      : result.status === 'error'
        ? 'Could not load the result'
        : '';
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
        {result.status === 'loading' && <p className="fp-result__loading">Loading the full result…</p>}
        {showRetry && (
          <div className={failed ? 'fp-result__error' : 'fp-result__retry'}>
            {failed && <p>Could not load the result: {result.error}</p>}
            <button
              type="button"
              className="fp-button"
              aria-disabled={!failed || undefined}
              onClick={() => {
                if (failed) result.retry();
              }}
              {...retryFocus}
            >
              Try again
            </button>
          </div>
        )}
        {result.status === 'ready' && <BoundedText text={text} limit={limit} />}
        {run.resultRef && (
          <p className="fp-result__ref">
            Too large to stream; fetched from <code>{run.resultRef}</code>
          </p>
        )}
      </div>
    </>
  );
}
