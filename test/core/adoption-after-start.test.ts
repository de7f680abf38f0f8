import { describe, expect, it } from 'vitest';
import { createInitialState, reduceWorkflow } from 'flowpulse';
import { createNodeStatusMessage, createWorkflowStartMessage } from 'flowpulse/protocol';

describe('a run just started is heard from', () => {
  it('a concurrent older run right after workflow_start is ignored, not adopted', () => {
    const start = createWorkflowStartMessage({ workflowId: '123', executionId: 'e2', executionOrder: ['a'] });
    let s = reduceWorkflow(createInitialState('123'), start, { now: 1_000 });
    expect(s.lastEventAt).toBe(1_000);
    const straggler = createNodeStatusMessage({ workflowId: '123', executionId: 'e1', nodeId: 'a', status: 'running' });
    s = reduceWorkflow(s, straggler, { now: 2_000 });
    expect(s.executionId).toBe('e2');
  });
});
