import { createContext, useContext } from 'react';
import type { WorkflowClient } from '../core/client';

/**
 * The client shared by everything under a `WorkflowProvider`.
 *
 * @example
 * <WorkflowClientContext.Provider value={client}>{children}</WorkflowClientContext.Provider>
 */
export const WorkflowClientContext = createContext<WorkflowClient | null>(null);

/**
 * The client of the nearest `WorkflowProvider`, or `null` outside one.
 *
 * @example
 * const client = useWorkflowClientContext();
 */
export function useWorkflowClientContext(): WorkflowClient | null {
  return useContext(WorkflowClientContext);
}

/**
 * The nearest provider's client; throws a clear error outside one (a wiring mistake, not a runtime condition).
 *
 * @example
 * const client = useRequiredClient('useMyPanel');
 */
export function useRequiredClient(hook: string): WorkflowClient {
  const client = useContext(WorkflowClientContext);
  if (!client) throw new Error(`${hook} must be used inside <WorkflowProvider> (or <WorkflowCanvas>)`);
  return client;
}
