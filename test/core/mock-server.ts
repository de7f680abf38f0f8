import { afterEach, beforeEach, vi } from 'vitest';
import { Server, WebSocket as MockWebSocket } from 'mock-socket';
import type { WebSocketConstructor } from 'flowpulse';

/** A mock-socket server at the spec endpoint, counting the sockets clients create and those still open. */
export function mockWorkflowServer(workflowId = '123', base = 'ws://localhost:8000') {
  const url = `${base}/api/ws/workflow/${workflowId}`;
  const server = new Server(url);
  const created: MockWebSocket[] = [];
  const received: string[] = [];
  const calls: { url: string; protocols?: string | string[] }[] = [];
  let answerPings = true;
  let refuse = false;
  server.on('connection', (socket) => {
    if (refuse) return socket.close({ code: 1013, reason: 'try again later', wasClean: true });
    socket.on('message', (data) => {
      received.push(String(data));
      if (data === 'ping' && answerPings) socket.send(JSON.stringify({ type: 'pong', workflow_id: workflowId }));
    });
  });
  class CountingWebSocket extends MockWebSocket {
    constructor(u: string, protocols?: string | string[]) {
      super(u, protocols);
      created.push(this);
      calls.push({ url: u, protocols });
    }
  }
  return {
    url,
    server,
    WebSocket: CountingWebSocket as unknown as WebSocketConstructor,
    created,
    received,
    /** Every constructor call: the URL (with query) and subprotocols a client asked for. */
    calls,
    /** Sockets not yet closed (CONNECTING or OPEN). */
    live: () => created.filter((s) => s.readyState === 0 || s.readyState === 1).length,
    send: (message: unknown) => server.clients().forEach((c) => c.send(typeof message === 'string' ? message : JSON.stringify(message))),
    closeClients: (code = 1011, reason = 'server going away') => server.clients().forEach((c) => c.close({ code, reason, wasClean: true })),
    silence: () => (answerPings = false),
    /** Accept, then close every new connection at once (a server that is down for us). */
    refuseAll: () => (refuse = true),
    stop: () => new Promise<void>((resolve) => server.stop(() => resolve())),
  };
}

/** What {@link mockWorkflowServer} returns. */
export type MockWorkflowServer = ReturnType<typeof mockWorkflowServer>;

/**
 * A fresh mock server at the spec endpoint for every test, under fake timers,
 * stopped afterwards. The returned object always points at the current test's server.
 */
export function mockServerPerTest(): MockWorkflowServer {
  let current: MockWorkflowServer;
  beforeEach(() => {
    vi.useFakeTimers();
    current = mockWorkflowServer();
  });
  afterEach(async () => {
    await current.stop();
    vi.useRealTimers();
  });
  return new Proxy({} as MockWorkflowServer, { get: (_, key) => current[key as keyof MockWorkflowServer] });
}
