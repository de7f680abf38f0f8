import {
  createSnapshotMessage,
  emptySnapshot,
  isoTimestamp,
  type SnapshotData,
  type SnapshotMessage,
  type SnapshotNode,
} from '../protocol';
import { isLiveStatus, type ExecutionRecord } from './execution-registry';

/** A record's UTC ISO time in the zone-less local form the messages use. */
const wireTime = (iso: string | null): string | null => (iso === null ? null : isoTimestamp(new Date(iso)));

/**
 * The `snapshot` data of an execution: exactly what a client that applied
 * every message so far would know (node states with their results, or a
 * `result_ref` for results too large to stream, progress, recent logs and
 * errors, and the outcome once finished). Timestamps are in the messages' form.
 *
 * @example
 * const data = buildSnapshot(registry.get(executionId)!);
 * data.run_state; // 'running'
 */
export function buildSnapshot(record: ExecutionRecord): SnapshotData {
  const nodes: Record<string, SnapshotNode> = {};
  for (const id of record.executionOrder) {
    const n = record.nodes[id]!;
    nodes[id] = {
      status: n.status,
      result: n.resultRef ? null : n.result,
      error: n.error,
      started_at: wireTime(n.startedAt),
      finished_at: wireTime(n.finishedAt),
      ...(n.resultRef ? { result_ref: n.resultRef } : {}),
    };
  }
  const finished = !isLiveStatus(record.status);
  return {
    workflow_id: record.workflowId,
    execution_id: record.executionId,
    run_state: record.status,
    execution_order: [...record.executionOrder],
    total_nodes: record.totalNodes,
    nodes,
    current_step: record.completedNodes,
    total_steps: record.totalNodes,
    progress: record.progress,
    current_node_id: record.currentNodeId,
    logs: record.logs.map((l) => ({ level: l.level, message: l.message, node_id: l.nodeId, timestamp: l.timestamp })),
    errors: record.errorMessages.map((e) => ({ error: e.error, node_id: e.nodeId, timestamp: e.timestamp })),
    success: finished ? record.status === 'completed' : null,
    execution_time: record.executionTime,
    // Clients learn these from `workflow_complete`; while live they know none.
    completion_errors: finished ? [...record.errors] : [],
  };
}

/**
 * The `snapshot` message of an execution: its envelope `seq` is the
 * execution's last `seq`, so live messages continue right after it.
 *
 * @example
 * manager.sendPersonalMessage(snapshotMessage(record), ws);
 */
export function snapshotMessage(record: ExecutionRecord): SnapshotMessage {
  return createSnapshotMessage({ seq: record.lastSeq, snapshot: buildSnapshot(record) });
}
