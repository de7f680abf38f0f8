import { describe, expect, it, vi } from 'vitest';
import {
  backoffDelay,
  createWorkflowConnection,
  DEFAULT_RECONNECT,
  type ConnectionState,
  type WorkflowConnection,
  type WorkflowConnectionOptions,
} from 'flowpulse';
import { mockServerPerTest } from './mock-server';

const mock = mockServerPerTest();

function connect(options: Partial<WorkflowConnectionOptions> = {}) {
  const states: ConnectionState[] = [];
  const messages: string[] = [];
  const conn = createWorkflowConnection({
    workflowId: '123',
    WebSocket: mock.WebSocket,
    reconnect: { random: () => 1 },
    onStateChange: (s) => states.push(s),
    onMessage: (m) => messages.push(m),
    ...options,
  });
  conn.connect();
  return { conn, states, messages };
}

const settle = () => vi.advanceTimersByTimeAsync(20);
/** mock-socket delivers events 4 ms late; this waits just for that. */
const deliver = () => vi.advanceTimersByTimeAsync(5);

describe('createWorkflowConnection', () => {
  it('opens the spec endpoint from the default base URL', async () => {
    const { conn, states } = connect();
    expect(conn.url).toBe('ws://localhost:8000/api/ws/workflow/123');
    expect(conn.state.status).toBe('connecting');
    await settle();
    expect(conn.state).toMatchObject({ status: 'open', attempt: 0, why: null });
    expect(states.map((s) => s.status)).toEqual(['connecting', 'open']);
    conn.close();
  });

  it('an explicit url wins over baseUrl', () => {
    const conn = createWorkflowConnection({ workflowId: 'x', baseUrl: 'ws://a:1/', url: 'ws://b:2/custom' });
    expect(conn.url).toBe('ws://b:2/custom');
    expect(createWorkflowConnection({ workflowId: 'x y', baseUrl: 'wss://a:1/' }).url).toBe('wss://a:1/api/ws/workflow/x%20y');
  });

  it('delivers text frames to onMessage', async () => {
    const { conn, messages } = connect();
    await settle();
    mock.send('{"type":"pong","workflow_id":"123"}');
    expect(messages).toEqual(['{"type":"pong","workflow_id":"123"}']);
    conn.close();
  });

  it('sends ping at the heartbeat interval and stays open while answered', async () => {
    const { conn } = connect({ heartbeatIntervalMs: 30_000 });
    await settle();
    await vi.advanceTimersByTimeAsync(29_000);
    expect(mock.received).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(mock.received).toEqual(['ping']);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(mock.received).toEqual(['ping', 'ping']);
    expect(conn.state.status).toBe('open');
    expect(mock.created).toHaveLength(1);
    conn.close();
  });

  it('defaults: the first ping exactly 30 s after open; reconnect waits up to 0.5, 1, 2, 4 … s, capped at 30 s', async () => {
    let openedAt = 0;
    const { conn } = connect({ onStateChange: (s) => s.status === 'open' && (openedAt = Date.now()) });
    await settle();
    const send = vi.spyOn(mock.created[0]!, 'send');
    await vi.advanceTimersByTimeAsync(openedAt + 29_999 - Date.now());
    expect(send).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(send).toHaveBeenCalledWith('ping');
    conn.close();
    const policy = { ...DEFAULT_RECONNECT, random: () => 0.999 };
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, policy))).toEqual([499, 999, 1998, 3996, 7992, 15984, 29970, 29970]);
    expect(DEFAULT_RECONNECT).toMatchObject({ maxAttempts: Infinity, stableAfterMs: 5_000 });
  });

  it('a reconnect policy field given as undefined (an unset prop) takes its default, not a retry storm', async () => {
    const unset = undefined as unknown as number;
    const { conn } = connect({
      reconnect: { initialDelayMs: unset, multiplier: unset, maxDelayMs: unset, maxAttempts: unset, stableAfterMs: unset, random: () => 0.999 },
    });
    await settle();
    mock.closeClients(1011, 'bye');
    await deliver();
    // The default first wait: up to half a second (499 ms from the close), not NaN, which timers read as 0.
    expect(conn.state).toMatchObject({ status: 'reconnecting', attempt: 1 });
    expect(conn.state.nextRetryAt! - Date.now()).toBeGreaterThan(490);
    expect(conn.state.nextRetryAt! - Date.now()).toBeLessThan(500);
    await vi.advanceTimersByTimeAsync(400);
    expect(mock.created).toHaveLength(1);
    conn.close();
  });

  it('detects a silent server and reconnects', async () => {
    const { conn } = connect({ heartbeatIntervalMs: 1_000, heartbeatTimeoutMs: 500 });
    await settle();
    mock.silence();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(mock.received).toEqual(['ping']);
    await vi.advanceTimersByTimeAsync(500);
    expect(conn.state).toMatchObject({ status: 'reconnecting', why: 'heartbeat-timeout', attempt: 1 });
    expect(mock.live()).toBe(0);
    await vi.advanceTimersByTimeAsync(500 + 20);
    expect(mock.created).toHaveLength(2);
    expect(conn.state.status).toBe('open');
    conn.close();
  });

  it('any message counts as a sign of life', async () => {
    const { conn } = connect({ heartbeatIntervalMs: 1_000, heartbeatTimeoutMs: 500 });
    await settle();
    mock.silence();
    await vi.advanceTimersByTimeAsync(1_000);
    mock.send('{"type":"pong","workflow_id":"123"}');
    await vi.advanceTimersByTimeAsync(600);
    expect(conn.state.status).toBe('open');
    conn.close();
  });

  it('reconnects with exponential backoff after the server closes', async () => {
    const waits: number[] = [];
    const { conn } = connect({
      reconnect: { random: () => 0.999, initialDelayMs: 100, multiplier: 2, maxDelayMs: 350 },
      onStateChange: (s) => s.status === 'reconnecting' && s.nextRetryAt && waits.push(s.nextRetryAt - Date.now()),
    });
    await settle();
    for (let i = 0; i < 4; i++) {
      mock.closeClients(1011);
      await deliver();
      expect(conn.state.status).toBe('reconnecting');
      await vi.advanceTimersByTimeAsync(400);
      expect(conn.state.status).toBe('open');
    }
    expect(waits).toEqual([99, 199, 349, 349]);
    expect(conn.state.attempt).toBe(4);
    expect(mock.created).toHaveLength(5);
    conn.close();
  });

  it('full jitter: the wait is a random share of the bound', async () => {
    const waits: number[] = [];
    const { conn } = connect({
      reconnect: { random: () => 0.25, initialDelayMs: 1000 },
      onStateChange: (s) => s.nextRetryAt && waits.push(s.nextRetryAt - Date.now()),
    });
    await settle();
    mock.closeClients();
    await deliver();
    expect(waits).toEqual([250]);
    conn.close();
  });

  it('a stable open resets the attempt count', async () => {
    const { conn } = connect({ reconnect: { random: () => 1, initialDelayMs: 100, stableAfterMs: 5_000 } });
    await settle();
    mock.closeClients();
    await vi.advanceTimersByTimeAsync(150);
    mock.closeClients();
    await deliver();
    expect(conn.state.attempt).toBe(2);
    await vi.advanceTimersByTimeAsync(250);
    expect(conn.state.status).toBe('open');
    await vi.advanceTimersByTimeAsync(5_000);
    mock.closeClients();
    await deliver();
    expect(conn.state.attempt).toBe(1);
    conn.close();
  });

  it('no reconnect after an intentional close', async () => {
    const { conn } = connect();
    await settle();
    conn.close();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(mock.created).toHaveLength(1);
    expect(mock.live()).toBe(0);
    expect(conn.state).toMatchObject({ status: 'closed', why: 'client' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each([1008, 4401, 4403, 4404])('no reconnect after fatal close code %i; the state says why', async (code) => {
    const { conn } = connect();
    await settle();
    mock.closeClients(code, 'nope');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(mock.created).toHaveLength(1);
    expect(conn.state).toMatchObject({ status: 'closed', why: 'fatal', closeCode: code, closeReason: 'nope' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives up after maxAttempts', async () => {
    const { conn } = connect({ reconnect: { random: () => 0, maxAttempts: 2 } });
    await settle();
    mock.refuseAll();
    mock.closeClients();
    await vi.advanceTimersByTimeAsync(100);
    expect(conn.state).toMatchObject({ status: 'closed', why: 'max-attempts' });
    expect(mock.created).toHaveLength(3);
  });

  it('reconnect: false closes instead', async () => {
    const { conn } = connect({ reconnect: false });
    await settle();
    mock.closeClients(1011, 'bye');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(conn.state).toMatchObject({ status: 'closed', why: 'server', closeCode: 1011 });
    expect(mock.created).toHaveLength(1);
  });

  it('reconnect: false set while a retry waits cancels it; so does a maxAttempts it exceeds', async () => {
    const { conn } = connect({ reconnect: { random: () => 1, initialDelayMs: 5_000 } });
    await settle();
    mock.closeClients(1011, 'bye');
    await deliver();
    expect(conn.state).toMatchObject({ status: 'reconnecting', attempt: 1 });
    conn.setOptions({ reconnect: false });
    expect(conn.state).toMatchObject({ status: 'closed', why: 'server', closeCode: 1011, nextRetryAt: null });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(mock.created).toHaveLength(1);

    conn.setOptions({ reconnect: { random: () => 1, initialDelayMs: 5_000 } });
    conn.connect();
    await settle();
    mock.closeClients(1011, 'again');
    await deliver();
    conn.setOptions({ reconnect: { maxAttempts: 3 } }); // attempt 1 of 3: the retry stays
    expect(conn.state.status).toBe('reconnecting');
    conn.setOptions({ reconnect: { maxAttempts: 0 } });
    expect(conn.state).toMatchObject({ status: 'closed', why: 'max-attempts' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(mock.created).toHaveLength(2);
  });

  it('reconnect: false set from onStateChange as a retry is announced stops it (on its timer, or waiting for online)', async () => {
    for (const offline of [false, true]) {
      const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(true);
      const created = mock.created.length;
      const conn: WorkflowConnection = createWorkflowConnection({
        workflowId: '123',
        WebSocket: mock.WebSocket,
        reconnect: { random: () => 1 },
        // The app gives up the moment it hears of a retry.
        onStateChange: (s) => s.status === 'reconnecting' && conn.setOptions({ reconnect: false }),
      });
      try {
        conn.connect();
        await settle();
        onLine.mockReturnValue(!offline);
        mock.closeClients(1011, 'bye');
        await deliver();
        // Closed for the reason the socket went, not for the wait that was cancelled.
        expect(conn.state).toMatchObject({ status: 'closed', nextRetryAt: null, why: 'server', closeCode: 1011 });
        onLine.mockReturnValue(true);
        window.dispatchEvent(new Event('online'));
        await vi.advanceTimersByTimeAsync(60_000);
        expect(mock.created.length - created, offline ? 'offline' : 'on its timer').toBe(1);
        expect(conn.state.status).toBe('closed');
      } finally {
        onLine.mockRestore();
        conn.close();
      }
    }
  });

  it('waits while offline and retries at once when back online', async () => {
    const { conn } = connect();
    await settle();
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    try {
      mock.closeClients();
      await vi.advanceTimersByTimeAsync(120_000);
      expect(conn.state).toMatchObject({ status: 'reconnecting', why: 'offline' });
      expect(mock.created).toHaveLength(1);
      onLine.mockReturnValue(true);
      window.dispatchEvent(new Event('online'));
      expect(mock.created).toHaveLength(2);
      await settle();
      expect(conn.state.status).toBe('open');
    } finally {
      onLine.mockRestore();
      conn.close();
    }
  });

  it('reconnect() replaces the socket now and resets attempts', async () => {
    const { conn } = connect();
    await settle();
    conn.reconnect();
    await settle();
    expect(mock.created).toHaveLength(2);
    expect(mock.live()).toBe(1);
    expect(conn.state).toMatchObject({ status: 'open', attempt: 0 });
    conn.close();
  });

  it('send() is false unless open, and JSON-encodes objects', async () => {
    const { conn } = connect();
    expect(conn.send('ping')).toBe(false);
    await settle();
    expect(conn.send({ type: 'hello' })).toBe(true);
    await deliver();
    expect(mock.received).toEqual(['{"type":"hello"}']);
    conn.close();
    expect(conn.send('ping')).toBe(false);
  });

  it('reports a missing WebSocket implementation instead of throwing', () => {
    const onError = vi.fn();
    const real = globalThis.WebSocket;
    vi.stubGlobal('WebSocket', undefined);
    try {
      const conn = createWorkflowConnection({ workflowId: '1', onError });
      expect(() => conn.connect()).not.toThrow();
      expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'no_websocket' }));
      expect(conn.state.status).toBe('closed');
    } finally {
      vi.stubGlobal('WebSocket', real);
      vi.unstubAllGlobals();
    }
  });

  it('a constructor that throws is reported and retried', async () => {
    const onError = vi.fn();
    let calls = 0;
    const Throwing = function () {
      calls++;
      throw new Error('bad url');
    } as unknown as WorkflowConnectionOptions['WebSocket'];
    const conn = createWorkflowConnection({
      workflowId: '1',
      WebSocket: Throwing,
      onError,
      reconnect: { random: () => 0, maxAttempts: 3 },
    });
    conn.connect();
    await vi.advanceTimersByTimeAsync(10);
    expect(onError).toHaveBeenCalledWith({ code: 'socket_error', message: 'bad url' });
    expect(calls).toBe(4);
    expect(conn.state.why).toBe('max-attempts');
  });
});
