import { describe, expectTypeOf, it } from 'vitest';
import type {
  EdgeFlowData,
  ErrorData,
  ExecutionRef,
  LogData,
  NodeStatusData,
  NodeStatusMessage,
  ProgressData,
  ServerMessage,
  WorkflowCompleteData,
  WorkflowStartData,
} from 'flowpulse/protocol';

// Checked by `tsc --noEmit` in `npm test`: the types say, field by field, what the seed spec's messages carry.
type Fields<T, K extends keyof T> = { [P in K]: T[P] };

describe('protocol types match the spec field by field', () => {
  it('a discriminated union of the seven messages, pong and the extensions', () => {
    expectTypeOf<ServerMessage['type']>().toEqualTypeOf<
      | 'workflow_start'
      | 'workflow_complete'
      | 'node_status'
      | 'edge_flow'
      | 'progress'
      | 'log'
      | 'error'
      | 'pong'
      | 'snapshot'
      | 'run_state'
      | 'metrics'
    >();
    expectTypeOf<Extract<ServerMessage, { type: 'node_status' }>>().toEqualTypeOf<NodeStatusMessage>();
    expectTypeOf<Fields<NodeStatusMessage, 'type' | 'timestamp' | 'seq' | 'data'>>().toEqualTypeOf<{
      type: 'node_status';
      timestamp: string;
      seq?: number;
      data: NodeStatusData;
    }>();
    expectTypeOf<Fields<Extract<ServerMessage, { type: 'pong' }>, 'type' | 'workflow_id'>>().toEqualTypeOf<{
      type: 'pong';
      workflow_id: string;
    }>();
  });

  it('every data carries workflow_id and execution_id, and each type its own fields', () => {
    expectTypeOf<Fields<ExecutionRef, keyof ExecutionRef>>().toEqualTypeOf<{ workflow_id: string; execution_id: string }>();
    expectTypeOf<Fields<WorkflowStartData, 'execution_order' | 'total_nodes'>>().toEqualTypeOf<{
      execution_order: string[];
      total_nodes: number;
    }>();
    expectTypeOf<Fields<WorkflowCompleteData, 'success' | 'execution_time' | 'errors'>>().toEqualTypeOf<{
      success: boolean;
      execution_time: number;
      errors: unknown[];
    }>();
    expectTypeOf<Fields<NodeStatusData, 'node_id' | 'status' | 'result' | 'error' | 'progress'>>().toEqualTypeOf<{
      node_id: string;
      status: 'pending' | 'running' | 'completed' | 'error';
      result: unknown;
      error: string | null;
      progress: number | null;
    }>();
    expectTypeOf<Fields<EdgeFlowData, 'source_node_id' | 'target_node_id' | 'edge_id' | 'data'>>().toEqualTypeOf<{
      source_node_id: string;
      target_node_id: string;
      edge_id: string | null;
      data: unknown;
    }>();
    expectTypeOf<Fields<ProgressData, 'current_step' | 'total_steps' | 'progress' | 'current_node_id'>>().toEqualTypeOf<{
      current_step: number;
      total_steps: number;
      progress: number;
      current_node_id: string | null;
    }>();
    expectTypeOf<Fields<LogData, 'level' | 'message'>>().toEqualTypeOf<{ level: 'info' | 'warning' | 'error'; message: string }>();
    expectTypeOf<Fields<ErrorData, 'error' | 'node_id'>>().toEqualTypeOf<{ error: string; node_id?: string | null }>();
  });
});
