import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWorkflowStore } from 'flowpulse';
import { createEdgeFlowMessage, createLogMessage, createWorkflowStartMessage } from 'flowpulse/protocol';
import { specMessages } from '../fixtures';

const ids = { workflowId: '123', executionId: 'e1' };

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('createWorkflowStore', () => {
  /** A store fed a two-message burst under stubbed animation frames; its updates and the frames asked for. */
  function burstWithFrames(options: { batch?: 'microtask' } = {}) {
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => frames.push(cb));
    const store = createWorkflowStore({ workflowId: '123', ...options });
    const updates = vi.fn();
    store.subscribe(updates);
    store.enqueue(specMessages.workflow_start);
    store.enqueue(specMessages.progress);
    expect(updates).not.toHaveBeenCalled();
    return { store, updates, frames };
  }

  it('batches per animation frame in a browser', () => {
    const { store, updates, frames } = burstWithFrames();
    expect(frames).toHaveLength(1);
    frames[0]!(0);
    expect(updates).toHaveBeenCalledTimes(1);
    expect(store.getState().progress).toBe(40);
  });

  it.each([
    ['in a hidden tab, where frames stop', {}],
    ["with batch: 'microtask'", { batch: 'microtask' as const }],
  ])('%s, a burst is applied as one update on the next microtask', async (_, options) => {
    const hidden = vi.spyOn(document, 'hidden', 'get').mockReturnValue(!('batch' in options));
    const { store, updates, frames } = burstWithFrames(options);
    await Promise.resolve();
    hidden.mockRestore();
    expect(frames).toHaveLength(0);
    expect(updates).toHaveBeenCalledTimes(1);
    expect(store.getState().progress).toBe(40);
  });

  it('a burst waiting for a frame when the tab is hidden is applied then, not when the tab comes back', async () => {
    let hidden = false;
    vi.spyOn(document, 'hidden', 'get').mockImplementation(() => hidden);
    const { store, updates, frames } = burstWithFrames();
    hidden = true; // hidden documents get no frames: the one asked for never comes
    document.dispatchEvent(new Event('visibilitychange'));
    expect(updates).toHaveBeenCalledTimes(1);
    expect(store.getState().progress).toBe(40);
    frames[0]!(0); // a frame that does come later finds nothing left to do
    store.enqueue(specMessages.log);
    await Promise.resolve();
    expect(updates).toHaveBeenCalledTimes(2);
    expect(store.getState().logs).toHaveLength(1);
    vi.restoreAllMocks();
  });

  it('a huge burst is applied without waiting, so the queue stays bounded', () => {
    const store = createWorkflowStore({ workflowId: '123', batch: () => undefined });
    for (let i = 0; i < 1000; i++) store.enqueue(createLogMessage({ ...ids, message: String(i) }));
    expect(store.getState().logs).toHaveLength(1000);
  });

  it('edge flows are gone after 3 s, on one timer', () => {
    vi.useFakeTimers();
    const store = createWorkflowStore({ workflowId: '123', batch: 'sync' });
    store.enqueue(createEdgeFlowMessage({ ...ids, sourceNodeId: 'a', targetNodeId: 'b' }));
    vi.advanceTimersByTime(1000);
    store.enqueue(createEdgeFlowMessage({ ...ids, sourceNodeId: 'b', targetNodeId: 'c' }));
    expect(vi.getTimerCount()).toBe(1);
    expect(store.getState().edgeFlows).toHaveLength(2);
    vi.advanceTimersByTime(2000);
    expect(store.getState().edgeFlows.map((f) => f.sourceNodeId)).toEqual(['b']);
    vi.advanceTimersByTime(1000);
    expect(store.getState().edgeFlows).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('edge flow lifetime is configurable', () => {
    vi.useFakeTimers();
    const store = createWorkflowStore({ workflowId: '123', batch: 'sync', edgeFlowDurationMs: 500 });
    store.enqueue(createEdgeFlowMessage({ ...ids, sourceNodeId: 'a', targetNodeId: 'b' }));
    vi.advanceTimersByTime(499);
    expect(store.getState().edgeFlows).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(store.getState().edgeFlows).toHaveLength(0);
  });

  it('destroy clears pending work and every timer', () => {
    vi.useFakeTimers();
    const store = createWorkflowStore({ workflowId: '123', batch: 'sync' });
    store.enqueue(createEdgeFlowMessage({ ...ids, sourceNodeId: 'a', targetNodeId: 'b' }));
    expect(vi.getTimerCount()).toBe(1);
    store.destroy();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reset keeps the connection state', () => {
    const store = createWorkflowStore({ workflowId: '123', batch: 'sync' });
    store.enqueue(createWorkflowStartMessage({ ...ids, executionOrder: ['a'] }));
    store.setConnection({ ...store.getState().connection, status: 'open', why: null });
    store.reset();
    expect(store.getState().executionId).toBeNull();
    expect(store.getState().connection.status).toBe('open');
  });

  it('keeps a bounded list of reported problems', () => {
    const store = createWorkflowStore({ maxProblems: 2 });
    for (const code of ['a', 'b', 'c']) store.report({ code, message: code });
    expect(store.getState().problems.map((p) => p.code)).toEqual(['b', 'c']);
  });
});
