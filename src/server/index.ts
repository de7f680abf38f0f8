/**
 * flowpulse's reference server (Node only): the spec's WebSocket endpoint,
 * a workflow engine that streams execution state, and a small HTTP API.
 *
 * @example
 * import { createFlowpulseServer } from 'flowpulse/server';
 * const server = createFlowpulseServer({ port: 8000, workflowsDir: './workflows' });
 * await server.listen();
 */
export { ConnectionManager } from './connection-manager';
export type { ConnectionManagerOptions, ConnectionStats, ConnectOptions, ManagedSocket } from './connection-manager';
export { WorkflowEngine } from './engine';
export type { EngineListener, ExecutionHandle, LogMemory, WorkflowEngineOptions } from './engine';
export { ExecutionRegistry, summarizeExecution, isLiveStatus } from './execution-registry';
export type {
  ExecutionErrorEntry,
  ExecutionLogEntry,
  ExecutionRecord,
  ExecutionRegistryOptions,
  ExecutionStatus,
  ExecutionSummary,
  NodeRunRecord,
} from './execution-registry';
export { validateWorkflow, planWorkflow, WorkflowValidationError, INITIAL_INPUTS_KEY } from './graph';
export type { NodeTypeLookup, ValidateWorkflowOptions, WorkflowPlan, WorkflowProblem, WorkflowProblemCode } from './graph';
export { NodeTypeRegistry, createBuiltinNodeTypes, upstreamValue, renderTemplate, MAX_TEMPLATE_CHARS } from './node-types';
export type { BuiltinNodeTypeOptions, NodeContext, NodeExecutor, NodeInputs } from './node-types';
export { sleep } from './sleep';
export { createFlowpulseServer } from './app';
export { LiveMemory } from './live-memory';
export type { LiveMemoryAccount, LiveMemoryOptions } from './live-memory';
export type { FlowpulseServer, FlowpulseServerOptions } from './app';
export { tokenAuth, bearerFromHeader, bearerFromProtocols, selectProtocol, offeredProtocols, isSubprotocolSafeToken } from './auth';
export { FLOWPULSE_PROTOCOL } from '../protocol';
export type { AuthAction, AuthRequest, FlowpulseAuth } from './auth';
export { AccessControl } from './access';
export type { AccessControlOptions, SocketDecision } from './access';
export { TicketLimitError, TicketStore } from './tickets';
export type { TicketStoreOptions } from './tickets';
export { ReplayBuffer } from './replay-buffer';
export { ReplayStore } from './replay-store';
export type { ReplayStoreOptions } from './replay-store';
export { buildSnapshot, snapshotMessage, SNAPSHOT_MAX_LOGS, SNAPSHOT_MAX_RESULT_BYTES } from './snapshot';
export { emptySnapshot } from '../protocol';
export { catchUpFrames } from './catch-up';
export type { ClientPosition } from './catch-up';
export { parseSocketQuery } from './socket-query';
export type { SocketQuery } from './socket-query';
export { deflateOptions } from './compression';
export type { CompressionOptions, DeflateSettings } from './compression';
export { nodeResultPath, acceptsGzip } from './result-ref';
export { MetricsPublisher } from './metrics-publisher';
export type { MetricsPublisherOptions } from './metrics-publisher';
export { ProcessSampler } from './process-metrics';
export type { ProcessSample } from './process-metrics';
export { USER_CANCEL_REASON } from './api-routes';
export { WorkflowStore } from './workflow-store';
export type { WorkflowSummary } from './workflow-store';
export type { WorkflowDefinition, WorkflowEdgeDefinition, WorkflowNodeDefinition } from './workflow';
