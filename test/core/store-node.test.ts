// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { createWorkflowStore } from 'flowpulse';
import { specMessages } from '../fixtures';

describe('createWorkflowStore outside a browser', () => {
  it('batches per microtask by default (no animation frames in Node)', async () => {
    expect(typeof requestAnimationFrame).toBe('undefined');
    const store = createWorkflowStore({ workflowId: '123' });
    const updates = vi.fn();
    store.subscribe(updates);
    store.enqueue(specMessages.workflow_start);
    store.enqueue(specMessages.node_status_running);
    store.enqueue(specMessages.progress);
    expect(updates).not.toHaveBeenCalled();
    await Promise.resolve();
    expect(updates).toHaveBeenCalledTimes(1);
    expect(store.getState()).toMatchObject({ progress: 40, nodeStatuses: { node1: { status: 'running' } } });
  });
});
