import { useEffect, useRef, useState } from 'react';
import type { NodeRunState } from '../core/state';
import { useWorkflowControl, type UseWorkflowControlOptions } from '../control';

/**
 * What {@link useNodeResult} returns.
 *
 * @example
 * const result: NodeResultState = useNodeResult('fetch', run);
 * if (result.status === 'error') result.retry();
 */
export interface NodeResultState {
  /** `ready` at once for a streamed result; `loading`, then `ready` or `error`, for a `resultRef`. */
  status: 'loading' | 'ready' | 'error';
  /** The result, once `ready`. */
  value?: unknown;
  /** Why the fetch failed, once `error`. */
  error?: string | undefined;
  /** Whether the value came over HTTP (`resultRef`) rather than in the stream. */
  fetched: boolean;
  /** Fetches again after an error. */
  retry: () => void;
}

interface Loaded {
  key: string;
  ok: boolean;
  value?: unknown;
  error?: string | undefined;
}

/**
 * A node's full result: the streamed `result` as is, or, when the result was
 * too large for the stream (`resultRef`), fetched with
 * `useWorkflowControl().fetchResult(nodeId)` while the caller is mounted.
 * A new `resultRef` fetches again; answers for an old one are dropped.
 *
 * @example
 * const result = useNodeResult('fetch', run, { token: getToken });
 * if (result.status === 'ready') show(result.value);
 */
export function useNodeResult(nodeId: string, run: NodeRunState, options?: UseWorkflowControlOptions): NodeResultState {
  const control = useWorkflowControl(options);
  // The latest control, without refetching when a caller passes new options objects each render.
  const fetchResult = useRef(control.fetchResult);
  fetchResult.current = control.fetchResult;
  const [attempt, setAttempt] = useState(0);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const ref = run.resultRef;
  const key = `${nodeId}\n${ref ?? ''}\n${attempt}`;

  useEffect(() => {
    if (!ref) return;
    let live = true;
    void fetchResult.current(nodeId).then((r) => {
      if (live) setLoaded({ key, ok: r.ok, value: r.data, error: r.error ?? `HTTP ${r.status}` });
    });
    return () => {
      live = false;
    };
  }, [nodeId, ref, key]);

  const retry = () => setAttempt((n) => n + 1);
  if (!ref) return { status: 'ready', value: run.result, fetched: false, retry };
  if (loaded?.key !== key) return { status: 'loading', fetched: true, retry };
  return loaded.ok
    ? { status: 'ready', value: loaded.value, fetched: true, retry }
    : { status: 'error', error: loaded.error, fetched: true, retry };
}
