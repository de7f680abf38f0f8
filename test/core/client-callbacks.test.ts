import { describe, expect, it, vi } from 'vitest';
import { createWorkflowClient } from 'flowpulse';
import { createLogMessage, createWorkflowStartMessage } from 'flowpulse/protocol';
import { specText } from '../fixtures';
import { mockServerPerTest } from './mock-server';

const mock = mockServerPerTest();

describe("an app's callback that throws", () => {
  it('costs no message and silences no other listener; it is reported as callback_error', async () => {
    const onError = vi.fn();
    const client = createWorkflowClient({ workflowId: '123', WebSocket: mock.WebSocket, batch: 'sync', onError });
    const broken = vi.fn(() => {
      throw new Error('bug in a leaf component');
    });
    const healthy = vi.fn();
    client.listen({ onMessage: broken });
    client.listen({ onMessage: healthy });
    const release = client.mount();
    await vi.advanceTimersByTimeAsync(10);
    mock.send(specText('workflow_start'));
    await vi.advanceTimersByTimeAsync(10);
    expect(client.store.getState().executionId).toBe('uuid-string');
    expect(healthy).toHaveBeenCalledWith(expect.objectContaining({ type: 'workflow_start' }));
    const problem = { code: 'callback_error', message: 'onMessage threw: bug in a leaf component' };
    expect(onError).toHaveBeenCalledWith(problem);
    expect(client.store.getState().problems).toEqual([expect.objectContaining(problem)]);
    release();
  });

  it('in onStateChange does not stop the reconnect, and a throwing onError is only recorded', async () => {
    const client = createWorkflowClient({
      workflowId: '123',
      WebSocket: mock.WebSocket,
      reconnect: { random: () => 0 },
      onStateChange: () => {
        throw new Error('state view crashed');
      },
      onError: () => {
        throw new Error('error view crashed too');
      },
    });
    const release = client.mount();
    await vi.advanceTimersByTimeAsync(10);
    expect(client.connection.state.status).toBe('open');
    mock.closeClients(1011);
    await vi.advanceTimersByTimeAsync(20);
    expect(mock.created).toHaveLength(2);
    expect(client.connection.state.status).toBe('open');
    const codes = client.store.getState().problems.map((p) => p.message);
    expect(codes).toContain('onStateChange threw: state view crashed');
    expect(codes).toContain('onError threw: error view crashed too');
    release();
  });
});

describe('the resume position and the query', () => {
  const start = (seq: number) =>
    JSON.stringify(createWorkflowStartMessage({ workflowId: '123', executionId: 'e1', executionOrder: ['a'], seq }));
  const log = (seq: number) => JSON.stringify(createLogMessage({ workflowId: '123', executionId: 'e1', message: `m${seq}`, seq }));

  it('includes what was received but not yet applied, so nothing is replayed twice', async () => {
    const onMessage = vi.fn();
    // A batch that never flushes on its own: everything received is still queued at the reconnect.
    const client = createWorkflowClient({ workflowId: '123', WebSocket: mock.WebSocket, batch: () => undefined, onMessage });
    const release = client.mount();
    await vi.advanceTimersByTimeAsync(10);
    mock.send(start(1));
    mock.send(log(2));
    mock.send(log(3));
    await vi.advanceTimersByTimeAsync(10);
    client.reconnect();
    await vi.advanceTimersByTimeAsync(10);
    expect(mock.calls[1]!.url).toContain('execution_id=e1&last_seq=3');
    expect(client.store.getState().logs.map((l) => l.message)).toEqual(['m2', 'm3']);
    release();
  });

  it('re-applying options (a render) neither applies the pending batch early nor asks the query', async () => {
    const query = vi.fn(() => ({ tenant: 'a' }));
    const client = createWorkflowClient({ workflowId: '123', WebSocket: mock.WebSocket, batch: () => undefined, query });
    const release = client.mount();
    await vi.advanceTimersByTimeAsync(10);
    expect(mock.calls[0]!.url).toContain('tenant=a');
    query.mockClear();
    mock.send(start(1));
    await vi.advanceTimersByTimeAsync(10);
    for (let i = 0; i < 5; i++) client.setOptions({ query });
    expect(query).not.toHaveBeenCalled();
    expect(client.store.getState().executionId).toBeNull(); // still queued, for its frame
    release();
  });

  it('a query option that throws is reported, and the socket still opens', async () => {
    const onError = vi.fn();
    const client = createWorkflowClient({
      workflowId: '123',
      WebSocket: mock.WebSocket,
      onError,
      query: () => {
        throw new Error('no session');
      },
    });
    const release = client.mount();
    await vi.advanceTimersByTimeAsync(10);
    expect(client.connection.state.status).toBe('open');
    expect(onError).toHaveBeenCalledWith({ code: 'callback_error', message: 'query threw: no session' });
    release();
  });
});

describe('the workflow id', () => {
  it('is not an option to change: a client stays on its workflow (one client per workflow)', async () => {
    const client = createWorkflowClient({ workflowId: '123', WebSocket: mock.WebSocket, batch: 'sync' });
    const release = client.mount();
    await vi.advanceTimersByTimeAsync(10);
    // @ts-expect-error the id is fixed per client
    client.setOptions({ workflowId: 'other' });
    await vi.advanceTimersByTimeAsync(10);
    expect(mock.created).toHaveLength(1);
    expect(client.connection.address).toBe('ws://localhost:8000/api/ws/workflow/123');
    release();
    await vi.advanceTimersByTimeAsync(10);
  });
});
