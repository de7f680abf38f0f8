import type {
  EdgeFlowMessage,
  ErrorMessage,
  LogLevel,
  LogMessage,
  NodeStatus,
  NodeStatusMessage,
  MetricsData,
  MetricsMessage,
  PongMessage,
  ProgressMessage,
  RunState,
  RunStateMessage,
  SnapshotData,
  SnapshotMessage,
  WorkflowCompleteMessage,
  WorkflowStartMessage,
} from './types';

/** Ids every execution message carries, plus the optional envelope extras. */
export interface MessageOptions {
  workflowId: string;
  executionId: string;
  /** Extension: increasing per execution. Omitted from the message when not given. */
  seq?: number | undefined;
  /** Defaults to now, in the seed's zone-less microsecond form. */
  timestamp?: string | undefined;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * Local time as Python's `datetime.now().isoformat()` prints it: microseconds, no zone.
 *
 * @example
 * isoTimestamp(new Date(2025, 10, 13, 10, 30, 0, 123)); // '2025-11-13T10:30:00.123000'
 */
export function isoTimestamp(date: Date = new Date()): string {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `.${pad(date.getMilliseconds(), 3)}000`
  );
}

function envelope<T extends string, D>(type: T, o: MessageOptions, fields: D) {
  return {
    type,
    timestamp: o.timestamp ?? isoTimestamp(),
    ...(o.seq === undefined ? {} : { seq: o.seq }),
    data: { workflow_id: o.workflowId, execution_id: o.executionId, ...fields },
  };
}

/**
 * `workflow_start`, as the seed's `create_workflow_start_message`.
 *
 * @example
 * createWorkflowStartMessage({ workflowId: '123', executionId: 'e1', executionOrder: ['a', 'b'] });
 */
export function createWorkflowStartMessage(
  o: MessageOptions & { executionOrder: string[]; totalNodes?: number | undefined },
): WorkflowStartMessage {
  return envelope('workflow_start', o, {
    execution_order: o.executionOrder,
    total_nodes: o.totalNodes ?? o.executionOrder.length,
  });
}

/**
 * `node_status`; `result`, `error` and `progress` are `null` unless given.
 * `resultRef` (an extension) adds `result_ref`: where to fetch a result too large to send.
 *
 * @example
 * createNodeStatusMessage({ workflowId: '123', executionId: 'e1', nodeId: 'node1', status: 'running' });
 * createNodeStatusMessage({ workflowId: '123', executionId: 'e1', nodeId: 'big', status: 'completed', resultRef: '/api/…/result' });
 */
export function createNodeStatusMessage(
  o: MessageOptions & {
    nodeId: string;
    status: NodeStatus;
    result?: unknown;
    error?: string | null | undefined;
    progress?: number | null | undefined;
    resultRef?: string | null | undefined;
  },
): NodeStatusMessage {
  return envelope('node_status', o, {
    node_id: o.nodeId,
    status: o.status,
    result: o.result ?? null,
    error: o.error ?? null,
    progress: o.progress ?? null,
    ...(o.resultRef ? { result_ref: o.resultRef } : {}),
  });
}

/**
 * `edge_flow`: data passing from `sourceNodeId` to `targetNodeId`.
 *
 * @example
 * createEdgeFlowMessage({ workflowId: '123', executionId: 'e1', sourceNodeId: 'a', targetNodeId: 'b' });
 */
export function createEdgeFlowMessage(
  o: MessageOptions & { sourceNodeId: string; targetNodeId: string; edgeId?: string | null | undefined; data?: unknown },
): EdgeFlowMessage {
  return envelope('edge_flow', o, {
    source_node_id: o.sourceNodeId,
    target_node_id: o.targetNodeId,
    edge_id: o.edgeId ?? null,
    data: o.data ?? null,
  });
}

/**
 * `progress`; the percent is computed from the steps unless given (2 of 5 is `40.0`).
 *
 * @example
 * createProgressMessage({ workflowId: '123', executionId: 'e1', currentStep: 2, totalSteps: 5, currentNodeId: 'node2' });
 */
export function createProgressMessage(
  o: MessageOptions & { currentStep: number; totalSteps: number; progress?: number | undefined; currentNodeId?: string | null | undefined },
): ProgressMessage {
  return envelope('progress', o, {
    current_step: o.currentStep,
    total_steps: o.totalSteps,
    progress: o.progress ?? (o.totalSteps > 0 ? (o.currentStep / o.totalSteps) * 100 : 0),
    current_node_id: o.currentNodeId ?? null,
  });
}

/**
 * `log`. `nodeId` is the additive extension; it is left out when not given.
 *
 * @example
 * createLogMessage({ workflowId: '123', executionId: 'e1', message: 'fetched 3 rows' });
 * @default level 'info'
 */
export function createLogMessage(
  o: MessageOptions & { message: string; level?: LogLevel | undefined; nodeId?: string | null | undefined },
): LogMessage {
  return envelope('log', o, {
    level: o.level ?? 'info',
    message: o.message,
    ...(o.nodeId === undefined ? {} : { node_id: o.nodeId }),
  });
}

/**
 * `error`: an error during the execution, optionally at a node.
 *
 * @example
 * createErrorMessage({ workflowId: '123', executionId: 'e1', error: 'timeout', nodeId: 'node1' });
 */
export function createErrorMessage(o: MessageOptions & { error: string; nodeId?: string | null | undefined }): ErrorMessage {
  return envelope('error', o, { error: o.error, node_id: o.nodeId ?? null });
}

/**
 * `workflow_complete`. `executionTime` is in seconds.
 *
 * @example
 * createWorkflowCompleteMessage({ workflowId: '123', executionId: 'e1', success: true, executionTime: 5.23 });
 */
export function createWorkflowCompleteMessage(
  o: MessageOptions & { success: boolean; executionTime: number; errors?: unknown[] | undefined },
): WorkflowCompleteMessage {
  return envelope('workflow_complete', o, {
    success: o.success,
    execution_time: o.executionTime,
    errors: o.errors ?? [],
  });
}

/**
 * The heartbeat answer, exactly `{"type":"pong","workflow_id":"<id>"}`.
 *
 * @example
 * JSON.stringify(createPongMessage('123')); // '{"type":"pong","workflow_id":"123"}'
 */
export function createPongMessage(workflowId: string): PongMessage {
  return { type: 'pong', workflow_id: workflowId };
}

/**
 * Extension `run_state`: the run was paused, resumed, cancelled or ended.
 *
 * @example
 * createRunStateMessage({ workflowId: '123', executionId: 'e1', state: 'paused' });
 */
export function createRunStateMessage(o: MessageOptions & { state: RunState; reason?: string | null | undefined }): RunStateMessage {
  return envelope('run_state', o, { state: o.state, reason: o.reason ?? null });
}

/**
 * The snapshot of no run: what a server that knows no run of the workflow
 * (it restarted, or none ran) sends. Clients still showing a live run mark it stale.
 *
 * @example
 * createSnapshotMessage({ snapshot: emptySnapshot('orders') });
 */
export function emptySnapshot(workflowId: string): SnapshotData {
  return {
    workflow_id: workflowId,
    execution_id: null,
    run_state: null,
    execution_order: [],
    total_nodes: 0,
    nodes: {},
    current_step: 0,
    total_steps: 0,
    progress: 0,
    current_node_id: null,
    logs: [],
    errors: [],
    success: null,
    execution_time: null,
    completion_errors: [],
  };
}

/**
 * Extension `snapshot`: an execution's whole state. `seq` is the execution's last `seq`.
 *
 * @example
 * createSnapshotMessage({ seq: 42, snapshot: record.toSnapshot() });
 */
export function createSnapshotMessage(o: {
  snapshot: SnapshotData;
  seq?: number | undefined;
  timestamp?: string | undefined;
}): SnapshotMessage {
  return {
    type: 'snapshot',
    timestamp: o.timestamp ?? isoTimestamp(),
    ...(o.seq === undefined ? {} : { seq: o.seq }),
    data: o.snapshot,
  };
}

/**
 * Extension `metrics`: server health for clients that opted in.
 *
 * @example
 * createMetricsMessage({ metrics: { cpu_percent: 3.2, rss_mb: 80, heap_used_mb: 20, event_loop_delay_p99_ms: 1.4, active_executions: 1, connected_clients: 2 } });
 */
export function createMetricsMessage(o: { metrics: MetricsData; timestamp?: string | undefined }): MetricsMessage {
  return { type: 'metrics', timestamp: o.timestamp ?? isoTimestamp(), data: o.metrics };
}
