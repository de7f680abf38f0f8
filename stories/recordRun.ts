import {
  createEdgeFlowMessage,
  createErrorMessage,
  createLogMessage,
  createNodeStatusMessage,
  createProgressMessage,
  createWorkflowCompleteMessage,
  createWorkflowStartMessage,
  isoTimestamp,
  type ServerMessage,
} from 'flowpulse/protocol';
import type { WorkflowGraph } from 'flowpulse/flow';

/** A message and when it was sent, in ms from the start of the run. */
export interface RecordedMessage {
  at: number;
  message: ServerMessage;
}

/** Options of {@link recordRun}. */
export interface RecordRunOptions {
  workflowId: string;
  /** @default 'exec-1' */
  executionId?: string;
  /** The node that fails; the run stops there. */
  failAt?: string;
  /** @default 'Connection reset by orders-db:5432 after 3 retries' */
  failure?: string;
  /** Mean time a node runs. @default 900 */
  stepMs?: number;
  /** Wall-clock start, for timestamps. @default now */
  start?: Date;
}

/** Nodes in an order the engine could run them: Kahn's algorithm, ties by graph order. */
function executionOrder(graph: WorkflowGraph): string[] {
  const indegree = new Map(graph.nodes.map((n) => [n.id, 0]));
  for (const e of graph.edges) indegree.set(e.target, (indegree.get(e.target) ?? 0) + 1);
  const ready = graph.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  const order: string[] = [];
  while (ready.length) {
    const id = ready.shift() as string;
    order.push(id);
    for (const e of graph.edges) {
      if (e.source !== id) continue;
      const left = (indegree.get(e.target) ?? 1) - 1;
      indegree.set(e.target, left);
      if (left === 0) ready.push(e.target);
    }
  }
  return order;
}

/**
 * A realistic recorded execution of `graph`, built with the protocol's
 * factories: `workflow_start`, then per node `progress`, `node_status`
 * running, logs, `node_status` completed (or error), one `edge_flow` per
 * outgoing edge; `workflow_complete` at the end. Deterministic: durations
 * vary by node, not by chance.
 *
 * @example
 * const recording = recordRun(ordersGraph, { workflowId: 'orders', failAt: 'stock' });
 */
export function recordRun(graph: WorkflowGraph, options: RecordRunOptions): RecordedMessage[] {
  const {
    workflowId,
    executionId = 'exec-1',
    failAt,
    failure = 'Connection reset by orders-db:5432 after 3 retries',
    stepMs = 900,
  } = options;
  const start = (options.start ?? new Date()).getTime();
  const ids = { workflowId, executionId };
  const order = executionOrder(graph);
  const labels = new Map(graph.nodes.map((n) => [n.id, n.label ?? n.id]));
  const out: RecordedMessage[] = [];
  let seq = 0;
  const push = (at: number, make: (o: { workflowId: string; executionId: string; seq: number; timestamp: string }) => ServerMessage) =>
    out.push({ at, message: make({ ...ids, seq: ++seq, timestamp: isoTimestamp(new Date(start + at)) }) });

  push(0, (o) => createWorkflowStartMessage({ ...o, executionOrder: order }));
  push(5, (o) => createLogMessage({ ...o, message: `Execution ${executionId} started: ${order.length} nodes` }));
  let t = 200;
  for (const [i, id] of order.entries()) {
    const label = labels.get(id) ?? id;
    const duration = Math.round(stepMs * (0.6 + ((i * 37) % 10) / 10));
    push(t, (o) => createProgressMessage({ ...o, currentStep: i + 1, totalSteps: order.length, currentNodeId: id }));
    push(t + 10, (o) => createNodeStatusMessage({ ...o, nodeId: id, status: 'running' }));
    push(t + 20, (o) => createLogMessage({ ...o, nodeId: id, message: `${label}: started` }));
    if (id === failAt) {
      push(t + duration / 2, (o) =>
        createLogMessage({ ...o, nodeId: id, level: 'warning', message: `${label}: attempt 1 failed, retrying` }),
      );
      push(t + duration, (o) => createNodeStatusMessage({ ...o, nodeId: id, status: 'error', error: failure, result: { attempts: 3 } }));
      push(t + duration + 5, (o) => createErrorMessage({ ...o, nodeId: id, error: failure }));
      push(t + duration + 10, (o) => createLogMessage({ ...o, nodeId: id, level: 'error', message: `${label}: ${failure}` }));
      push(t + duration + 50, (o) =>
        createWorkflowCompleteMessage({ ...o, success: false, executionTime: (t + duration + 50) / 1000, errors: [failure] }),
      );
      return out;
    }
    const rows = 40 + ((i * 53) % 200);
    push(t + duration, (o) => createNodeStatusMessage({ ...o, nodeId: id, status: 'completed', result: { rows } }));
    push(t + duration + 5, (o) => createLogMessage({ ...o, nodeId: id, message: `${label}: ${rows} rows in ${duration} ms` }));
    for (const edge of graph.edges.filter((e) => e.source === id)) {
      push(t + duration + 20, (o) =>
        createEdgeFlowMessage({ ...o, sourceNodeId: edge.source, targetNodeId: edge.target, edgeId: edge.id ?? null, data: { rows } }),
      );
    }
    t += duration + 250;
  }
  push(t, (o) => createProgressMessage({ ...o, currentStep: order.length, totalSteps: order.length, currentNodeId: null, progress: 100 }));
  push(t + 10, (o) => createLogMessage({ ...o, message: `Execution ${executionId} finished` }));
  push(t + 20, (o) => createWorkflowCompleteMessage({ ...o, success: true, executionTime: (t + 20) / 1000 }));
  return out;
}
