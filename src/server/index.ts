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
export type { ConnectionManagerOptions, ConnectionStats, ManagedSocket } from './connection-manager';
export { WorkflowEngine } from './engine';
export type { EngineListener, ExecutionHandle, WorkflowEngineOptions } from './engine';
export { ExecutionRegistry, summarizeExecution } from './execution-registry';
export type {
  ExecutionLogEntry,
  ExecutionRecord,
  ExecutionRegistryOptions,
  ExecutionStatus,
  ExecutionSummary,
  NodeRunRecord,
} from './execution-registry';
export { validateWorkflow, planWorkflow, WorkflowValidationError, INITIAL_INPUTS_KEY } from './graph';
export type { NodeTypeLookup, ValidateWorkflowOptions, WorkflowPlan, WorkflowProblem, WorkflowProblemCode } from './graph';
export { NodeTypeRegistry, createBuiltinNodeTypes, upstreamValue, renderTemplate } from './node-types';
export type { BuiltinNodeTypeOptions, NodeContext, NodeExecutor, NodeInputs } from './node-types';
export { sleep } from './sleep';
export { createFlowpulseServer } from './app';
export type { FlowpulseServer, FlowpulseServerOptions } from './app';
export { WorkflowStore } from './workflow-store';
export type { WorkflowSummary } from './workflow-store';
export type { WorkflowDefinition, WorkflowEdgeDefinition, WorkflowNodeDefinition } from './workflow';
