export { WorkflowProvider, type WorkflowProviderProps } from './WorkflowProvider';
export { useWorkflowWebSocket, type UseWorkflowWebSocketOptions, type UseWorkflowWebSocketResult } from './useWorkflowWebSocket';
export { useNodeStatus, nodeRunState } from './useNodeStatus';
export { useWorkflowSelector } from './useWorkflowSelector';
export { useWorkflowClient, type WorkflowHookOptions } from './useWorkflowClient';
export { WorkflowClientContext, useWorkflowClientContext, useRequiredClient } from './context';
export { useStoreSlice } from './useStoreSlice';
