import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWorkflowClient, createWorkflowConnection, type WebSocketConstructor } from 'flowpulse';
import { FakeSocket } from './fake-socket';

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};
beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.all = [];
  FakeSocket.onConstruct = null;
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});
const WS = FakeSocket as unknown as WebSocketConstructor;

describe('connection and client edge cases found by a model-based fuzz', () => {
  it('client: release, setOptions(new url) and mount in one tick move the socket to the new URL', async () => {
    const client = createWorkflowClient({ workflowId: 'w', url: 'ws://h/0', WebSocket: WS, heartbeatIntervalMs: 0 });
    const release = client.mount();
    FakeSocket.all[0]!.fireOpen();
    release();
    client.setOptions({ url: 'ws://h/1' });
    client.mount();
    await flush();
    const live = FakeSocket.all.filter((s) => s.live);
    expect(live.map((s) => s.url)).toEqual(['ws://h/1']);
    client.destroy();
  });
});

describe('re-entrant close() from a callback', () => {
  it('onStateChange closing on "reconnecting" (give up after N attempts) stops the retries', async () => {
    const conn = createWorkflowConnection({
      workflowId: 'w',
      WebSocket: WS,
      heartbeatIntervalMs: 0,
      reconnect: { random: () => 0.5 },
      onStateChange: (s) => {
        if (s.status === 'reconnecting' && s.attempt >= 1) conn.close();
      },
    });
    conn.connect();
    FakeSocket.all[0]!.fireOpen();
    FakeSocket.all[0]!.fireClose(1006);
    expect(conn.state).toMatchObject({ status: 'closed', why: 'client' });
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('the same through the client: onStateChange calling client.close() stops it', async () => {
    const client = createWorkflowClient({
      workflowId: 'w',
      url: 'ws://h/0',
      WebSocket: WS,
      heartbeatIntervalMs: 0,
      reconnect: { random: () => 0.5 },
      onStateChange: (s) => {
        if (s.status === 'reconnecting' && s.attempt >= 3) client.close();
      },
    });
    client.mount();
    for (let i = 0; i < 3; i++) {
      FakeSocket.all.at(-1)!.fireClose(1006);
      vi.advanceTimersByTime(60_000);
    }
    expect(client.connection.state.status).toBe('closed');
    const n = FakeSocket.all.length;
    vi.advanceTimersByTime(600_000);

    expect(FakeSocket.all).toHaveLength(n);
    expect(FakeSocket.all.filter((s) => s.live)).toHaveLength(0);
    client.destroy();
  });

  it('onStateChange closing on "open" leaves no heartbeat timer', () => {
    const conn = createWorkflowConnection({
      workflowId: 'w',
      WebSocket: WS,
      onStateChange: (s) => {
        if (s.status === 'open') conn.close();
      },
    });
    conn.connect();
    FakeSocket.all[0]!.fireOpen();
    expect(conn.state.status).toBe('closed');
    vi.advanceTimersByTime(300_000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('onStateChange closing on "connecting" builds no socket and leaves no timer', () => {
    const conn = createWorkflowConnection({
      workflowId: 'w',
      WebSocket: WS,
      onStateChange: (s) => {
        if (s.status === 'connecting') conn.close();
      },
    });
    conn.connect();
    expect(conn.state.status).toBe('closed');
    expect(FakeSocket.all.filter((s) => s.live)).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('onError closing when the token is refused schedules no retry', async () => {
    const conn = createWorkflowConnection({
      workflowId: 'w',
      WebSocket: WS,
      token: () => Promise.reject(new Error('session expired')),
      onError: () => conn.close(),
    });
    conn.connect();
    await flush();
    expect(conn.state.status).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('lesser findings', () => {
  it('an open socket stuck in CLOSING (its close event never comes) is dropped by the heartbeat', () => {
    const errors: string[] = [];
    const conn = createWorkflowConnection({
      workflowId: 'w',
      WebSocket: WS,
      heartbeatIntervalMs: 30_000,
      heartbeatTimeoutMs: 10_000,
      onError: (e) => errors.push(e.code),
    });
    conn.connect();
    const s = FakeSocket.all[0]!;
    s.fireOpen();
    s.readyState = 2; // the server's close frame arrived, the TCP close never does
    vi.advanceTimersByTime(10 * 60_000);
    expect(conn.state.status).not.toBe('open');
    expect(FakeSocket.all.length).toBeGreaterThan(1);
    conn.close();
  });

  it('connect() after a fatal close does not report the old why and close code while connecting', () => {
    const conn = createWorkflowConnection({ workflowId: 'w', WebSocket: WS });
    conn.connect();
    FakeSocket.all[0]!.fireClose(4401);
    expect(conn.state).toMatchObject({ status: 'closed', why: 'fatal', closeCode: 4401 });
    conn.connect();
    expect(conn.state).toMatchObject({ status: 'connecting', why: null, closeCode: null });
    conn.close();
  });
});
