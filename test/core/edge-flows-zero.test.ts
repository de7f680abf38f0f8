import { describe, expect, it } from 'vitest';
import { createInitialState, reduceWorkflow, reduceWorkflowBatch } from 'flowpulse';
import { createEdgeFlowMessage, createWorkflowStartMessage } from 'flowpulse/protocol';

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
