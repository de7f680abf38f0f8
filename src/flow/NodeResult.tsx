import { useMemo } from 'react';
import type { NodeRunState } from '../core/state';
import type { UseWorkflowControlOptions } from '../react';
import { BoundedText } from './BoundedText';
import { formatValue } from './format';
import { useNodeResult } from './useNodeResult';

/** Props of {@link NodeResult}. */
export interface NodeResultProps {
  nodeId: string;
  run: NodeRunState;
  /** REST options for fetching a `resultRef` (`token`, `fetch`, `apiBaseUrl`). */
  control?: UseWorkflowControlOptions;
  /** Characters shown before "Show all". @default 20000 */
  limit?: number;
}

/**
 * A node's result, pretty-printed and bounded ({@link BoundedText}). A result
 * too large for the stream (`resultRef`) is fetched when this mounts, with a
 * loading line, and an error with "Try again" if the fetch fails. The region
 * is polite-live and `aria-busy` while loading, so the outcome is announced.
 *
 * @example
 * <NodeResult nodeId="fetch" run={useNodeStatus('fetch')} control={{ token }} />
 */
export function NodeResult({ nodeId, run, control, limit }: NodeResultProps) {
  const result = useNodeResult(nodeId, run, control);
  // Pretty-printing megabytes is the slow part: once per value, not per render.
  const text = useMemo(() => (result.status === 'ready' ? formatValue(result.value) : ''), [result.status, result.value]);
  return (
    <div className="fp-result" aria-live="polite" aria-busy={result.status === 'loading'}>
      {result.status === 'loading' && <p className="fp-result__loading">Loading the full result…</p>}
      {result.status === 'error' && (
        <div className="fp-result__error">
          <p>Could not load the result: {result.error}</p>
          <button type="button" className="fp-button" onClick={result.retry}>
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
  );
}
