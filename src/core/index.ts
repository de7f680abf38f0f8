export * from './state';
export { reduceWorkflow, reduceWorkflowBatch, expireEdgeFlows, type ReduceContext } from './reducer';
export { createWorkflowStore, type WorkflowStore, type WorkflowStoreOptions, type BatchScheduler } from './store';
export {
  createWorkflowConnection,
  type WorkflowConnection,
  type WorkflowConnectionOptions,
  type WebSocketConstructor,
  type SocketLike,
  type ConnectionError,
} from './connection';
export { backoffDelay, DEFAULT_RECONNECT, type ReconnectPolicy } from './backoff';
export {
  createWorkflowClient,
  type WorkflowClient,
  type WorkflowClientOptions,
  type WorkflowClientError,
  type WorkflowClientCallbacks,
} from './client';
