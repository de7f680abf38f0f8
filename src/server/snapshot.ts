import { createSnapshotMessage, isoTimestamp, type SnapshotData, type SnapshotMessage, type SnapshotNode } from '../protocol';
import { isLiveStatus, type ExecutionRecord } from './execution-registry';
import { setOwn } from './json-safe';
import { nodeResultPath } from './result-ref';

/**
 * Log lines a snapshot carries at most: the newest ones. The record keeps more
 * (`maxLogsPerExecution`, 500 by default, each line up to `maxLogChars`), but
 * a snapshot is built and sent per joining client, so it stays small; the rest
 * are counted in `dropped_logs`. Node results over `maxInlineResultBytes` are
 * sent as a `result_ref`, and so is every result past
 * {@link SNAPSHOT_MAX_RESULT_BYTES} in all. `errors` are not capped
 * here: a run sends at most a few `error` messages (it stops at the first
 * failure), and the record bounds them like logs anyway.
 *
 * @example
 * buildSnapshot(record).logs.length <= SNAPSHOT_MAX_LOGS; // true
 */
export const SNAPSHOT_MAX_LOGS = 200;

/**
 * Inline result bytes (JSON) a snapshot carries in all; later results in
 * execution order go as a `result_ref`, fetched when asked for. Without it a
 * run of many mid-sized results would cost every joining client megabytes,
 * sent past the slow-consumer cap.
 *
 * @example
 * buildSnapshot(record); // results beyond the first 1 MiB come as result_ref
 */
export const SNAPSHOT_MAX_RESULT_BYTES = 1024 * 1024;

/** A record's UTC ISO time in the zone-less local form the messages use. */
const wireTime = (iso: string | null): string | null => (iso === null ? null : isoTimestamp(new Date(iso)));

/**
 * The `snapshot` data of an execution: exactly what a client that applied
 * every message so far would know (node states with their results, or a
 * `result_ref` for results too large to stream, progress, the newest
 * `maxLogs` log lines with a count of the older ones (`dropped_logs`),
 * errors, the cancel reason, and the outcome once finished). Timestamps are
 * in the messages' form.
 *
 * @example
 * const data = buildSnapshot(registry.get(executionId)!);
 * data.run_state; // 'running'
 * @default maxLogs SNAPSHOT_MAX_LOGS (200), maxResultBytes SNAPSHOT_MAX_RESULT_BYTES (1 MiB)
 */
export function buildSnapshot(
  record: ExecutionRecord,
  maxLogs = SNAPSHOT_MAX_LOGS,
  maxResultBytes = SNAPSHOT_MAX_RESULT_BYTES,
): SnapshotData {
  const nodes: Record<string, SnapshotNode> = {};
  let inline = 0;
  for (const id of record.executionOrder) {
    const n = record.nodes[id]!;
    let ref = n.resultRef ?? null;
    if (!ref && n.status === 'completed' && n.result != null) {
      // Once the budget is spent, the rest are not even measured: this runs for every joining client.
      if (inline <= maxResultBytes) {
        try {
          inline += Buffer.byteLength(JSON.stringify(n.result));
        } catch {
          inline = Infinity; // too deep to serialize here: fetched on its own, if at all
        }
      }
      if (inline > maxResultBytes) ref = nodeResultPath(record.workflowId, record.executionId, id);
    }
    setOwn(nodes, id, {
      status: n.status,
      result: ref ? null : n.result,
      error: n.error,
      started_at: wireTime(n.startedAt),
      finished_at: wireTime(n.finishedAt),
      ...(ref ? { result_ref: ref } : {}),
    });
  }
  const finished = !isLiveStatus(record.status);
  // slice(-0) would keep everything.
  const logs = maxLogs > 0 ? record.logs.slice(-maxLogs) : [];
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
    // With its `seq`, a client that shows older lines of the run keeps them and appends these.
    logs: logs.map((l) => ({ level: l.level, message: l.message, node_id: l.nodeId, timestamp: l.timestamp, seq: l.seq })),
    errors: record.errorMessages.map((e) => ({ error: e.error, node_id: e.nodeId, timestamp: e.timestamp })),
    success: finished ? record.status === 'completed' : null,
    execution_time: record.executionTime,
    // Clients learn these from `workflow_complete`; while live they know none.
    completion_errors: finished ? [...record.errors] : [],
    // Without these a late joiner would show a cancel without its reason, and a log that seems complete.
    cancel_reason: record.cancelReason,
    dropped_logs: record.droppedLogs + (record.logs.length - logs.length),
    started_at: wireTime(record.startedAt),
  };
}

/**
 * The `snapshot` message of an execution: its envelope `seq` is the
 * execution's last `seq`, so live messages continue right after it.
 * `summary`: no log lines (all counted in `dropped_logs`) and every result
 * as a `result_ref`, for a run the client will not show.
 *
 * @example
 * manager.sendPersonalMessage(snapshotMessage(record), ws);
 */
export function snapshotMessage(record: ExecutionRecord, { summary = false }: { summary?: boolean | undefined } = {}): SnapshotMessage {
  const snapshot = summary ? buildSnapshot(record, 0, 0) : buildSnapshot(record);
  return createSnapshotMessage({ seq: record.lastSeq, snapshot });
}
