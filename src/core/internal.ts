// Helpers shared inside src/core; not re-exported, so not public API.
import type { WorkflowState } from './state';

/** The last `max` items; `slice(-max)` would keep them all for a bound of 0. */
export const newest = <T>(list: T[], max: number): T[] => list.slice(Math.max(0, list.length - max));

/**
 * Like `Partial`, but a field may also be given as `undefined` (an app's
 * unset prop, under `exactOptionalPropertyTypes`), which means its default.
 */
export type OptionalFields<T> = { [K in keyof T]?: T[K] | undefined };

/**
 * `defaults` with the fields `given` sets; a field given as `undefined` (an
 * app's unset prop) keeps its default, where a spread would erase it.
 */
export function withDefaults<T extends object>(defaults: T, given?: OptionalFields<T> | false): T {
  const out = { ...defaults };
  if (given) for (const key in given) if (given[key] !== undefined) out[key] = given[key]!;
  return out;
}

/** The message of a thrown value, whatever was thrown. */
export const errorText = (e: unknown): string => String((e as Error)?.message ?? e);

/**
 * The per-run part of {@link WorkflowState}, blank: what a new run resets.
 * Identity, bookkeeping (`seq`, past executions, flow serial), the connection,
 * problems and server metrics are not part of it.
 */
export const blankRunFields = () => ({
  executionOrder: [] as string[],
  totalNodes: 0,
  runStatus: 'idle' as WorkflowState['runStatus'],
  joined: false,
  runStartedAt: null as number | null,
  stale: false,
  stalledNodeIds: [] as string[],
  cancelReason: null,
  nodeStatuses: {} as WorkflowState['nodeStatuses'],
  edgeFlows: [] as WorkflowState['edgeFlows'],
  progress: 0,
  currentStep: 0,
  totalSteps: 0,
  currentNodeId: null,
  success: null,
  executionTime: null,
  completionErrors: [] as unknown[],
  errors: [] as WorkflowState['errors'],
  logs: [] as WorkflowState['logs'],
  droppedLogs: 0,
});
