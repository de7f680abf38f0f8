import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWorkflowStore, type ConnectionState } from 'flowpulse';
import { createLogMessage, createNodeStatusMessage, createMetricsMessage, createWorkflowStartMessage } from 'flowpulse/protocol';

const open: ConnectionState = { status: 'open', attempt: 0, closeCode: null, closeReason: null, why: null, nextRetryAt: null };
const closed: ConnectionState = { ...open, status: 'closed', why: 'server' };
const at = (ms: number) => new Date(Date.UTC(2025, 0, 1) + ms).toISOString();

afterEach(() => vi.useRealTimers());

/** A connected store whose run's node `a` has been silent past `stalledAfterMs` (1 s). */
function storeWithStalledNode() {
  vi.useFakeTimers();
  vi.setSystemTime(Date.UTC(2025, 0, 1));
  const store = createWorkflowStore({ workflowId: '123', batch: 'sync', stalledAfterMs: 1000 });
  store.setConnection(open);
  store.enqueue(createWorkflowStartMessage({ workflowId: '123', executionId: 'e1', executionOrder: ['a'], timestamp: at(0), seq: 1 }));
  store.enqueue(createNodeStatusMessage({ workflowId: '123', executionId: 'e1', nodeId: 'a', status: 'running', timestamp: at(0), seq: 2 }));
  vi.advanceTimersByTime(1000);
  return store;
}


describe('store edges a model-based test found', () => {
  it('maxProblems: 0 keeps no problem', () => {
    const store = createWorkflowStore({ workflowId: '123', batch: 'sync', maxProblems: 0 });
    for (let i = 0; i < 5; i++) store.report({ code: 'x', message: String(i) });
    expect(store.getState().problems).toHaveLength(0);
  });

  it("messages the reducer ignores (another run's) do not keep a silent node from being listed as stalled", () => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.UTC(2025, 0, 1));
    const store = createWorkflowStore({ workflowId: '123', batch: 'sync', stalledAfterMs: 1000 });
    store.setConnection(open);
    store.enqueue(createWorkflowStartMessage({ workflowId: '123', executionId: 'e2', executionOrder: ['a'], timestamp: at(0), seq: 1 }));
    store.enqueue(createNodeStatusMessage({ workflowId: '123', executionId: 'e2', nodeId: 'a', status: 'running', timestamp: at(0), seq: 2 }));
    for (let i = 1; i <= 5; i++) {
      vi.advanceTimersByTime(500);
      // an older concurrent run of the same workflow (same graph, same node ids), ignored by the reducer
      store.enqueue(createLogMessage({ workflowId: '123', executionId: 'e1', nodeId: 'a', message: 'old run', timestamp: at(-1000 + i) }));
    }
    expect(store.getState().nodeStatuses.a?.status).toBe('running');
    expect(store.getState().logs).toHaveLength(0); // not applied
    expect(store.getState().stalledNodeIds).toEqual(['a']); // silent 2.5 s, stalledAfterMs 1000
  });

  it('a flush notifies once, never with a finished node still listed as stalled', () => {
    const store = storeWithStalledNode();
    expect(store.getState().stalledNodeIds).toEqual(['a']);
    const seen: { status?: string; stalled: string[] }[] = [];
    store.subscribe((s) => seen.push({ status: s.nodeStatuses.a?.status, stalled: s.stalledNodeIds }));
    store.enqueue(createNodeStatusMessage({ workflowId: '123', executionId: 'e1', nodeId: 'a', status: 'completed', timestamp: at(1000), seq: 3 }));
    expect(seen).toEqual([{ status: 'completed', stalled: [] }]);
  });

  it('setConnection(closed) notifies once, with no node left stalled', () => {
    const store = storeWithStalledNode();
    const seen: { conn: string; stalled: string[] }[] = [];
    store.subscribe((s) => seen.push({ conn: s.connection.status, stalled: s.stalledNodeIds }));
    store.setConnection(closed);
    expect(seen).toEqual([{ conn: 'closed', stalled: [] }]);
  });

  it('a lowered maxMetrics applies with the next burst, whatever it holds', () => {
    const store = createWorkflowStore({ workflowId: '123', batch: 'sync' });
    const metrics = { cpu_percent: 1, rss_mb: 2, heap_used_mb: 3, event_loop_delay_p99_ms: 4, active_executions: 1, connected_clients: 1 };
    for (let i = 0; i < 5; i++) store.enqueue(createMetricsMessage({ metrics }));
    store.configure({ batch: 'sync', maxMetrics: 2 });
    store.enqueue(createLogMessage({ workflowId: '123', executionId: 'e1', message: 'x' }));
    expect(store.getState().metrics.length).toBeLessThanOrEqual(2);
  });

  it('a lowered maxPastExecutions applies with the next burst too', () => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.UTC(2025, 0, 1));
    const store = createWorkflowStore({ workflowId: '123', batch: 'sync' });
    for (let i = 0; i < 4; i++)
      store.enqueue(createWorkflowStartMessage({ workflowId: '123', executionId: `e${i}`, executionOrder: ['a'], timestamp: at(i * 1000), seq: 1 }));
    store.configure({ batch: 'sync', maxPastExecutions: 1 });
    store.enqueue(createLogMessage({ workflowId: '123', executionId: 'e3', message: 'x', timestamp: at(4000), seq: 2 }));
    expect(store.getState().pastExecutionIds.length).toBeLessThanOrEqual(1);
  });
});
