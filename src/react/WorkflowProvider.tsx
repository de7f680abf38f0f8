import type { ReactNode } from 'react';
import type { WorkflowClient } from '../core/client';
import { WorkflowClientContext } from './context';
import { useWorkflowClient, type WorkflowHookOptions } from './useWorkflowClient';

/** Props of {@link WorkflowProvider}. */
export interface WorkflowProviderProps extends WorkflowHookOptions {
  workflowId: string;
  /** Use this client instead of creating one (for replay transports, tests, sharing across trees). */
  client?: WorkflowClient | undefined;
  /** `false` keeps the socket closed. @default true */
  enabled?: boolean | undefined;
  children?: ReactNode | undefined;
}

/**
 * Shares one workflow's store and one socket with every hook and canvas below it.
 *
 * @example
 * <WorkflowProvider workflowId="123" baseUrl="ws://localhost:8000">
 *   <WorkflowCanvas nodes={nodes} edges={edges} />
 *   <RunSummary />
 * </WorkflowProvider>
 */
export function WorkflowProvider({ workflowId, client, enabled = true, children, ...options }: WorkflowProviderProps) {
  const own = useWorkflowClient(workflowId, options, enabled && !client);
  return <WorkflowClientContext.Provider value={client ?? own}>{children}</WorkflowClientContext.Provider>;
}
