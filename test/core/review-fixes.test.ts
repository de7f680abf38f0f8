import { describe, expect, it, vi } from 'vitest';
import { createWorkflowClient, createWorkflowConnection, createWorkflowStore, type WebSocketConstructor } from 'flowpulse';
import { createLogMessage, createSnapshotMessage, emptySnapshot, validateServerMessage } from 'flowpulse/protocol';
import { mockServerPerTest } from './mock-server';

const mock = mockServerPerTest();

/** A socket that never opens: a handshake lost in a firewall. */
class BlackholeSocket {
  static created = 0;
  readyState = 0;
  onopen = null;
  onmessage = null;
  onclose = null;
  onerror = null;
  constructor() {
    BlackholeSocket.created++;
  }
  send() {}
  close() {
    this.readyState = 3;
  }
}

describe('connection hardening', () => {
  it('a token function with no token still offers "flowpulse", so an auth server can answer 4401', async () => {
    const conn = createWorkflowConnection({ workflowId: '123', WebSocket: mock.WebSocket, token: () => null });
    conn.connect();
    await vi.advanceTimersByTimeAsync(10);
    expect(mock.calls[0]?.protocols).toEqual(['flowpulse']);
    conn.close();
  });

  it('no token option, no subprotocol: a seed backend never sees one', async () => {
    const conn = createWorkflowConnection({ workflowId: '123', WebSocket: mock.WebSocket, token: null });
    conn.connect();
    await vi.advanceTimersByTimeAsync(10);
    expect(mock.calls[0]?.protocols).toBeUndefined();
    conn.close();
  });

  it('a token a subprotocol cannot carry is a clear error, not a retry loop', async () => {
    const onError = vi.fn();
    const conn = createWorkflowConnection({ workflowId: '123', WebSocket: mock.WebSocket, token: 'abc=/def', onError });
    conn.connect();
    await vi.advanceTimersByTimeAsync(10);
    expect(vi.getTimerCount()).toBe(0); // closed at once, its connect deadline with it
    await vi.advanceTimersByTimeAsync(60_000);
    expect(mock.calls).toHaveLength(0);
    expect(conn.state).toMatchObject({ status: 'closed', why: 'error', closeReason: 'unusable token' });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/base64url/) }));
  });

  it('a handshake that never completes is dropped and retried', async () => {
    BlackholeSocket.created = 0;
    const conn = createWorkflowConnection({
      workflowId: '123',
      WebSocket: BlackholeSocket as unknown as WebSocketConstructor,
      connectTimeoutMs: 1000,
      reconnect: { random: () => 0 },
    });
    conn.connect();
    await vi.advanceTimersByTimeAsync(999);
    expect(conn.state.status).toBe('connecting');
    await vi.advanceTimersByTimeAsync(1);
    expect(conn.state).toMatchObject({ status: 'reconnecting', why: 'error', closeReason: 'connect timeout' });
    await vi.advanceTimersByTimeAsync(1);
    expect(BlackholeSocket.created).toBe(2);
    conn.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a socket closed while still connecting is closed at once, says nothing after, and its late error is absorbed', async () => {
    const sockets: RecordingSocket[] = [];
    class RecordingSocket extends BlackholeSocket {
      closes: unknown[][] = [];
      constructor() {
        super();
        sockets.push(this);
      }
      override close(...args: unknown[]) {
        this.closes.push(args);
        super.close();
      }
    }
    const onMessage = vi.fn();
    const onError = vi.fn();
    const conn = createWorkflowConnection({
      workflowId: '123',
      WebSocket: RecordingSocket as unknown as WebSocketConstructor,
      onMessage,
      onError,
    });
    conn.connect();
    conn.reconnect();
    const [first, second] = sockets;
    // Not left to open first: a socket still connecting would hold up the next one to the same server.
    expect(first!.closes).toEqual([[1000, 'reconnect']]);
    expect(first!.onmessage).toBeNull();
    // `ws` reports closing a connecting socket as an error event: something must listen, and stay quiet.
    expect(() => (first!.onerror as unknown as () => void)()).not.toThrow();
    expect(onError).not.toHaveBeenCalled();
    conn.close();
    expect(second!.closes).toEqual([[1000, 'client closed']]);
    expect(conn.state).toMatchObject({ status: 'closed', why: 'client' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a token that never comes times out too', async () => {
    const conn = createWorkflowConnection({
      workflowId: '123',
      WebSocket: mock.WebSocket,
      token: () => new Promise<string>(() => {}),
      connectTimeoutMs: 500,
      reconnect: { random: () => 0, maxAttempts: 1 },
    });
    conn.connect();
    await vi.advanceTimersByTimeAsync(1200);
    expect(conn.state).toMatchObject({ status: 'closed', why: 'max-attempts' });
    expect(mock.calls).toHaveLength(0);
  });

  /** A socket that errors with `event`, then closes (1006) before it ever opened. */
  const neverOpens = (event: object) =>
    class {
      readyState = 0;
      onopen = null;
      onmessage = null;
      onclose: ((e: { code: number; reason: string }) => void) | null = null;
      onerror: ((e: unknown) => void) | null = null;
      constructor() {
        setTimeout(() => {
          this.onerror?.(event);
          this.onclose?.({ code: 1006, reason: '' });
        }, 1);
      }
      send() {}
      close() {}
    } as unknown as WebSocketConstructor;

  /** What a connection reports of a socket that errors with `event` and closes before opening. */
  async function reportedError(url: string, event: object) {
    const onError = vi.fn();
    const conn = createWorkflowConnection({ workflowId: '123', url, WebSocket: neverOpens(event), onError, reconnect: false });
    conn.connect();
    await vi.advanceTimersByTimeAsync(5);
    return onError.mock.calls.map(([e]) => e);
  }

  it('socket errors name origin and path, never the query (tickets, credentials)', async () => {
    expect(await reportedError('ws://user:pw@example.test/api/ws/workflow/123?ticket=secret', {})).toEqual([
      { code: 'socket_error', message: 'WebSocket error on ws://example.test/api/ws/workflow/123' },
    ]);
  });

  it('a socket closed before it ever opened (refused, unreachable) is a connection error, not closed by the server', async () => {
    const conn = createWorkflowConnection({ workflowId: '123', WebSocket: neverOpens({}), reconnect: { random: () => 1 } });
    conn.connect();
    await vi.advanceTimersByTimeAsync(5);
    expect(conn.state).toMatchObject({ status: 'reconnecting', why: 'error', closeCode: 1006 });
    conn.close();
  });

  it("a socket error that says why (Node's ws does) says so: a backend that answers no subprotocol to a token", async () => {
    expect(await reportedError('ws://example.test/api/ws/workflow/123', { message: 'Server sent no subprotocol' })).toEqual([
      { code: 'socket_error', message: 'WebSocket error on ws://example.test/api/ws/workflow/123: Server sent no subprotocol' },
    ]);
  });
});

describe('client hardening', () => {
  it('reconnect() after the last user left opens nothing', async () => {
    const client = createWorkflowClient({ workflowId: '123', WebSocket: mock.WebSocket });
    const release = client.mount();
    await vi.advanceTimersByTimeAsync(10);
    release();
    await vi.advanceTimersByTimeAsync(10);
    client.reconnect();
    await vi.advanceTimersByTimeAsync(10);
    expect(mock.live()).toBe(0);
    expect(mock.created).toHaveLength(1);
  });

  it("the app's own query parameters are kept next to the resume position", async () => {
    const client = createWorkflowClient({ workflowId: '123', WebSocket: mock.WebSocket, query: () => ({ tenant: 'acme' }) });
    const release = client.mount();
    await vi.advanceTimersByTimeAsync(10);
    expect(mock.calls[0]?.url).toBe('ws://localhost:8000/api/ws/workflow/123?tenant=acme');
    release();
    await vi.advanceTimersByTimeAsync(0);
  });
});

describe('snapshots the reducer could not read', () => {
  it('are rejected by the parser entry by entry', () => {
    const bad = (patch: (d: any) => void) => {
      const m = createSnapshotMessage({ snapshot: emptySnapshot('123') }) as any;
      m.data.execution_id = 'e1';
      patch(m.data);
      return validateServerMessage(m);
    };
    expect(bad(() => undefined).ok).toBe(true);
    expect(bad((d) => (d.nodes = { a: null }))).toMatchObject({ ok: false, error: { path: 'data.nodes' } });
    expect(bad((d) => (d.nodes = { a: { status: 'bogus' } }))).toMatchObject({ ok: false, error: { path: 'data.nodes' } });
    expect(bad((d) => (d.logs = [null]))).toMatchObject({ ok: false, error: { path: 'data.logs' } });
    expect(bad((d) => (d.logs = [{ level: 'debug', message: 'x' }]))).toMatchObject({ ok: false, error: { path: 'data.logs' } });
    expect(bad((d) => (d.errors = [{ message: 'x' }]))).toMatchObject({ ok: false, error: { path: 'data.errors' } });
  });

  it('and if one still reaches the store, it is skipped and reported; the rest of the burst applies', () => {
    const onError = vi.fn();
    const store = createWorkflowStore({ workflowId: '123', batch: 'microtask', onError });
    const poisoned = createSnapshotMessage({ snapshot: { ...emptySnapshot('123'), execution_id: 'e1', nodes: { a: null as never } } });
    store.enqueue(createLogMessage({ workflowId: '123', executionId: 'e0', message: 'before' }));
    store.enqueue(poisoned);
    store.enqueue(createLogMessage({ workflowId: '123', executionId: 'e0', message: 'after' }));
    expect(() => store.flush()).not.toThrow();
    expect(store.getState().logs.map((l) => l.message)).toEqual(['before', 'after']);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'reducer_error' }));
    expect(store.getState().problems).toEqual([expect.objectContaining({ code: 'reducer_error' })]);
  });
});
