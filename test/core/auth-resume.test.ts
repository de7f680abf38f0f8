import { describe, expect, it, vi } from 'vitest';
import { createWorkflowClient, createWorkflowConnection } from 'flowpulse';
import { createMetricsMessage, createNodeStatusMessage, createWorkflowStartMessage } from 'flowpulse/protocol';
import { mockServerPerTest } from './mock-server';

const mock = mockServerPerTest();

describe('token', () => {
  it('rides in a subprotocol next to "flowpulse", never in the URL', async () => {
    const conn = createWorkflowConnection({ workflowId: '123', WebSocket: mock.WebSocket, token: 's3cret' });
    conn.connect();
    await vi.advanceTimersByTimeAsync(10);
    expect(mock.calls[0]).toEqual({ url: 'ws://localhost:8000/api/ws/workflow/123', protocols: ['flowpulse', 'flowpulse.bearer.s3cret'] });
    conn.close();
  });

  it('a token function is asked again before every reconnect', async () => {
    let n = 0;
    const token = vi.fn(async () => `t${++n}`);
    const conn = createWorkflowConnection({ workflowId: '123', WebSocket: mock.WebSocket, token, reconnect: { random: () => 0 } });
    conn.connect();
    await vi.advanceTimersByTimeAsync(10);
    mock.closeClients(1011);
    await vi.advanceTimersByTimeAsync(20);
    expect(mock.calls.map((c) => c.protocols)).toEqual([
      ['flowpulse', 'flowpulse.bearer.t1'],
      ['flowpulse', 'flowpulse.bearer.t2'],
    ]);
    expect(conn.state.status).toBe('open');
    conn.close();
  });

  it('a token function that fails is reported and retried', async () => {
    const onError = vi.fn();
    const token = vi.fn().mockRejectedValueOnce(new Error('refresh failed')).mockResolvedValue('ok');
    const conn = createWorkflowConnection({ workflowId: '123', WebSocket: mock.WebSocket, token, onError, reconnect: { random: () => 0 } });
    conn.connect();
    await vi.advanceTimersByTimeAsync(20);
    expect(onError).toHaveBeenCalledWith({ code: 'socket_error', message: 'token: refresh failed' });
    expect(conn.state.status).toBe('open');
    conn.close();
  });

  it('closing while the token is pending opens nothing', async () => {
    let release!: (t: string) => void;
    const conn = createWorkflowConnection({
      workflowId: '123',
      WebSocket: mock.WebSocket,
      token: () => new Promise<string>((r) => (release = r)),
    });
    conn.connect();
    conn.connect();
    await vi.advanceTimersByTimeAsync(1);
    conn.close();
    release('late');
    await vi.advanceTimersByTimeAsync(20);
    expect(mock.calls).toHaveLength(0);
    expect(conn.state.status).toBe('closed');
  });
});

describe('resume position', () => {
  it('a reconnect tells the server the execution and last seq applied', async () => {
    const client = createWorkflowClient({
      workflowId: '123',
      WebSocket: mock.WebSocket,
      batch: 'sync',
      reconnect: { random: () => 0 },
      metrics: true,
    });
    const release = client.mount();
    await vi.advanceTimersByTimeAsync(10);
    expect(mock.calls[0]?.url).toBe('ws://localhost:8000/api/ws/workflow/123?metrics=1');
    mock.send(createWorkflowStartMessage({ workflowId: '123', executionId: 'e 1', seq: 1, executionOrder: ['a'] }));
    mock.send(createNodeStatusMessage({ workflowId: '123', executionId: 'e 1', seq: 2, nodeId: 'a', status: 'running' }));
    await vi.advanceTimersByTimeAsync(10);
    mock.closeClients(1011);
    await vi.advanceTimersByTimeAsync(20);
    expect(mock.calls[1]?.url).toBe('ws://localhost:8000/api/ws/workflow/123?execution_id=e%201&last_seq=2&metrics=1');
    release();
    await vi.advanceTimersByTimeAsync(0);
  });

  it('turning metrics on or off reconnects to ask the server, resuming; off clears the samples shown', async () => {
    const client = createWorkflowClient({ workflowId: '123', WebSocket: mock.WebSocket, batch: 'sync', reconnect: { random: () => 0 } });
    const release = client.mount();
    await vi.advanceTimersByTimeAsync(10);
    mock.send(createWorkflowStartMessage({ workflowId: '123', executionId: 'e1', seq: 1, executionOrder: ['a'] }));
    client.setOptions({ metrics: true });
    await vi.advanceTimersByTimeAsync(10);
    expect(mock.calls.map((c) => c.url)).toEqual([
      'ws://localhost:8000/api/ws/workflow/123',
      'ws://localhost:8000/api/ws/workflow/123?execution_id=e1&last_seq=1&metrics=1',
    ]);
    const sample = { cpu_percent: 1, rss_mb: 2, heap_used_mb: 3, event_loop_delay_p99_ms: 4, active_executions: 1, connected_clients: 1 };
    mock.send(createMetricsMessage({ metrics: sample }));
    expect(client.store.getState().metrics).toHaveLength(1);
    client.setOptions({ metrics: true }); // no change, no new socket
    client.setOptions({ metrics: false });
    expect(client.store.getState().metrics).toEqual([]);
    await vi.advanceTimersByTimeAsync(10);
    expect(mock.calls.at(-1)?.url).toBe('ws://localhost:8000/api/ws/workflow/123?execution_id=e1&last_seq=1');
    expect(mock.calls).toHaveLength(3);
    mock.send(createMetricsMessage({ metrics: sample })); // one already on its way
    expect(client.store.getState().metrics).toEqual([]);
    release();
    await vi.advanceTimersByTimeAsync(0);
  });

  it('resume: false never sends a position', async () => {
    const client = createWorkflowClient({
      workflowId: '123',
      WebSocket: mock.WebSocket,
      batch: 'sync',
      reconnect: { random: () => 0 },
      resume: false,
    });
    const release = client.mount();
    await vi.advanceTimersByTimeAsync(10);
    mock.send(createWorkflowStartMessage({ workflowId: '123', executionId: 'e1', seq: 1, executionOrder: ['a'] }));
    mock.closeClients(1011);
    await vi.advanceTimersByTimeAsync(20);
    expect(mock.calls.map((c) => c.url)).toEqual(['ws://localhost:8000/api/ws/workflow/123', 'ws://localhost:8000/api/ws/workflow/123']);
    release();
    await vi.advanceTimersByTimeAsync(0);
  });
});
