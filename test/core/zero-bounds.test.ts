import { describe, expect, it } from 'vitest';
import { createInitialState, reduceWorkflow, reduceWorkflowBatch } from 'flowpulse';
import { createEdgeFlowMessage, createLogMessage, createSnapshotMessage, createWorkflowStartMessage, emptySnapshot } from 'flowpulse/protocol';

const ids = (seq: number) => ({ workflowId: '123', executionId: 'e1', seq, timestamp: '2025-11-13T10:30:00.000000' });
const msgs = [
  createWorkflowStartMessage({ ...ids(1), executionOrder: ['a', 'b'], totalNodes: 2 }),
  ...[2, 3, 4].map((seq) => createEdgeFlowMessage({ ...ids(seq), sourceNodeId: 'a', targetNodeId: 'b' } as any)),
];

describe('maxEdgeFlows: 0', () => {
  it('one by one keeps none', () => {
    const s = msgs.reduce((st, m) => reduceWorkflow(st, m, { now: 0, limits: { maxEdgeFlows: 0 } }), createInitialState('123'));
    expect(s.edgeFlows).toHaveLength(0);
  });
  it('as a batch (what the store does) keeps none too', () => {
    const s = reduceWorkflowBatch(createInitialState('123'), msgs, { now: 0, limits: { maxEdgeFlows: 0 } });
    expect(s.edgeFlows).toHaveLength(0); // 3: slice(-0) keeps the whole list
  });
});

describe('maxLogs and maxErrors: 0 on a snapshot', () => {
  it('keeps no line and no error, and counts every line as dropped', () => {
    const snapshot = createSnapshotMessage({
      seq: 9,
      snapshot: {
        ...emptySnapshot('123'),
        execution_id: 'e1',
        run_state: 'running',
        logs: [{ level: 'info', message: 'hi', node_id: null, timestamp: '2025-11-13T10:30:00.000000', seq: 3 }],
        errors: [{ error: 'boom', node_id: null, timestamp: '2025-11-13T10:30:00.000000' }],
        dropped_logs: 4,
      },
    });
    const s = reduceWorkflow(createInitialState('123'), snapshot, { now: 0, limits: { maxLogs: 0, maxErrors: 0 } });
    expect({ logs: s.logs, errors: s.errors, droppedLogs: s.droppedLogs }).toEqual({ logs: [], errors: [], droppedLogs: 5 });
  });
});

describe('maxLogs: 0 with a snapshot of the same run', () => {
  it('counts the lines not shown the same in one batch as one by one', () => {
    const log = createLogMessage({ ...ids(1), message: 'early' });
    const snapshot = createSnapshotMessage({
      seq: 5,
      timestamp: '2025-11-13T10:30:01.000000',
      snapshot: {
        ...emptySnapshot('123'),
        execution_id: 'e1',
        run_state: 'running',
        started_at: '2025-11-13T10:30:00.000000',
        logs: [{ level: 'info', message: 'later', node_id: null, timestamp: '2025-11-13T10:30:01.000000', seq: 2 }],
      },
    });
    const limits = { maxLogs: 0 };
    const oneByOne = [log, snapshot].reduce((s, m) => reduceWorkflow(s, m, { now: 0, limits }), createInitialState('123'));
    const batched = reduceWorkflowBatch(createInitialState('123'), [log, snapshot], { now: 0, limits });
    expect(oneByOne.droppedLogs).toBe(batched.droppedLogs);
    expect(batched.logs).toEqual([]);
  });
});
