import { useStoreSlice } from './useStoreSlice';
import type { WorkflowState } from '../core/state';
import { useRequiredClient } from './context';

/**
 * Subscribes to a slice of the nearest provider's state; the component
 * re-renders only when the selected value changes (by `Object.is`).
 * Return primitives or existing objects, or wrap the selector in zustand's `useShallow`.
 *
 * @example
 * const running = useWorkflowSelector((s) => s.runStatus === 'running');
 */
export function useWorkflowSelector<T>(selector: (state: WorkflowState) => T): T {
  return useStoreSlice(useRequiredClient('useWorkflowSelector').store, selector);
}
