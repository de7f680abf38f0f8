import type { ExecutionHandle } from './engine';
import { HttpError } from './http-json';

/**
 * How many executions may be live (running or paused) at once. Each live run
 * holds its record, its replay buffer and its node work, none of which is
 * released before it ends, so without a cap `POST /execute` could grow memory
 * without bound.
 *
 * @example
 * const limits: LiveLimits = { total: 100, perWorkflow: 20 };
 */
export interface LiveLimits {
  /** Across all workflows. */
  total: number;
  /** Per workflow, so one busy workflow cannot take every slot. */
  perWorkflow: number;
}

/**
 * Seconds a client refused for live runs (too many, or too much memory)
 * should wait; runs usually end, and free a slot, within that.
 *
 * @example
 * new HttpError(429, 'too many live executions', {}, { 'Retry-After': LIVE_RETRY_AFTER_SECONDS });
 */
export const LIVE_RETRY_AFTER_SECONDS = '5';

/**
 * The limits from server options, checked: each must be an integer ≥ 1
 * (`Infinity` turns one off). Throws a RangeError otherwise.
 *
 * @example
 * liveLimits({ maxLiveExecutions: 10 }); // { total: 10, perWorkflow: 20 }
 * @default total 100, perWorkflow 20
 */
export function liveLimits(options: {
  maxLiveExecutions?: number | undefined;
  maxLiveExecutionsPerWorkflow?: number | undefined;
}): LiveLimits {
  const check = (name: string, v: number) => {
    if (v !== Infinity && (!Number.isInteger(v) || v < 1)) throw new RangeError(`${name} must be an integer ≥ 1, got ${v}`);
    return v;
  };
  return {
    total: check('maxLiveExecutions', options.maxLiveExecutions ?? 100),
    perWorkflow: check('maxLiveExecutionsPerWorkflow', options.maxLiveExecutionsPerWorkflow ?? 20),
  };
}

/**
 * Throws a 429 `HttpError` (`Retry-After: 5`, body
 * `{ error: "too many live executions (limit N)", limit, scope }`) when
 * starting one more run of `workflowId` would exceed a limit. `scope` is
 * `server` or `workflow`, telling which limit was hit.
 *
 * Must be called in the same synchronous step that adds the new run to
 * `live`, so that concurrent requests cannot both take the last slot.
 *
 * @example
 * admitExecution(live, workflowId, limits);
 * live.set(handle.executionId, handle);
 */
export function admitExecution(live: ReadonlyMap<string, ExecutionHandle>, workflowId: string, limits: LiveLimits): void {
  if (live.size >= limits.total) throw tooMany(limits.total, 'server');
  let ofWorkflow = 0;
  // At most `total` entries, so counting beats keeping a second index in sync.
  for (const h of live.values()) if (h.record.workflowId === workflowId) ofWorkflow++;
  if (ofWorkflow >= limits.perWorkflow) throw tooMany(limits.perWorkflow, 'workflow');
}

const tooMany = (limit: number, scope: 'server' | 'workflow') =>
  new HttpError(429, `too many live executions (limit ${limit})`, { limit, scope }, { 'Retry-After': LIVE_RETRY_AFTER_SECONDS });
