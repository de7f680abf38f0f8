// @vitest-environment node
/**
 * Requests built to hurt the server: none of them may end the process, cost
 * other users their data, or get anything but a clear 4xx.
 */
import { connect as tcp } from 'node:net';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBuiltinNodeTypes, createFlowpulseServer, ExecutionRegistry, WorkflowEngine } from 'flowpulse/server';
import { serverPerFile } from './test-server';
import { until } from './ws-client';

const PROTO = {
  id: 'proto',
  nodes: [
    { id: '__proto__', type: 'start' },
    { id: 'b', type: 'output' },
  ],
  edges: [{ source: '__proto__', target: 'b' }],
};

const srv = serverPerFile(() => ({
  workflows: [{ id: 'one', nodes: [{ id: 'a', type: 'start' }], edges: [] }, PROTO],
  allowedOrigins: ['https://app.example'],
  auth: {
    authenticate: () => ({ user: 'ada' }),
    // Workflows with long non-ASCII ids are off limits: the refusal names them.
    authorize: (_user: unknown, workflowId: string) => /^[\x20-\x7e]*$/.test(workflowId),
  },
}));

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

let rejections: unknown[] = [];
const onRejection = (e: unknown) => rejections.push(e);
beforeEach(() => {
  rejections = [];
  process.on('unhandledRejection', onRejection);
});
afterEach(() => {
  process.off('unhandledRejection', onRejection);
});

/** Opens a socket offering `flowpulse`; resolves with the close code and reason it gets. */
function refusedWith(path: string, headers: Record<string, string> = {}): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(srv.wsBase + path, ['flowpulse'], { headers: { Origin: 'https://app.example', ...headers } });
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    ws.on('error', reject);
  });
}

async function stillServing() {
  expect((await fetch(`${srv.base}/api/health`)).status).toBe(200);
  expect(rejections).toEqual([]);
}

describe('refused sockets with long non-ASCII details', () => {
  it('an Origin of 80 é is refused with 4403 and a reason cut to fit a close frame', async () => {
    const { code, reason } = await refusedWith('/api/ws/workflow/one', { Origin: `https://${'é'.repeat(80)}` });
    expect(code).toBe(4403);
    expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123);
    await stillServing();
  });

  it('a refusal that names a 60-character non-ASCII workflow id is a 4403, not a crash', async () => {
    const { code } = await refusedWith(`/api/ws/workflow/${encodeURIComponent('ü'.repeat(60))}`);
    expect(code).toBe(4403);
    await stillServing();
  });
});

describe('deeply nested JSON', () => {
  it('a definition or inputs nested 100,000 deep get a 400, well under the size limit', async () => {
    const put = await fetch(`${srv.base}/api/workflows/deep`, {
      method: 'PUT',
      body: `{"nodes":[{"id":"a","type":"start","config":{"x":${nested(100_000)}}}],"edges":[]}`,
    });
    expect(put.status).toBe(400);
    expect((await put.json()).error).toBe('JSON body nested deeper than 100 levels');
    const run = await fetch(`${srv.base}/api/workflows/one/execute`, {
      method: 'POST',
      body: `{"initial_inputs":{"x":${nested(100_000)}}}`,
    });
    expect(run.status).toBe(400);
    // Brackets inside strings are text, not nesting.
    const ok = await fetch(`${srv.base}/api/workflows/one/execute`, {
      method: 'POST',
      body: JSON.stringify({ initial_inputs: { x: nested(5_000), y: [[['\\"[[[']]] } }),
    });
    expect(ok.status).toBe(202);
    await stillServing();
  });

  it('a finished run that cannot be measured does not evict other workflows\u2019 runs', async () => {
    const registry = new ExecutionRegistry();
    const engine = new WorkflowEngine({ workflowId: 'x', enableWebSocket: false, registry, nodeTypes: createBuiltinNodeTypes() });
    const kept = await engine.execute({ id: 'x', nodes: [{ id: 'a', type: 'start' }] }).done;
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const other = new WorkflowEngine({ workflowId: 'y', enableWebSocket: false, registry, nodeTypes: createBuiltinNodeTypes() });
    await other.execute({ id: 'y', nodes: [{ id: 'a', type: 'start' }] }, { cyclic }).done;
    expect(registry.get(kept.executionId)?.status).toBe('completed');
  });
});

describe('ids that are words of JavaScript or of URLs', () => {
  it('a node called __proto__ is in the snapshot like any other', async () => {
    const id = await srv.execute('proto');
    await until(() => srv.server.registry.get(id)?.status === 'completed');
    const c = await srv.connect('proto', { headers: { Origin: 'https://app.example' } });
    const snapshot = await c.waitFor((m) => m.type === 'snapshot');
    expect(Object.keys(snapshot.data.nodes)).toEqual(['__proto__', 'b']);
    expect(Object.getOwnPropertyDescriptor(snapshot.data.nodes, '__proto__')?.value).toMatchObject({ status: 'completed' });
  });

  it.each(['.', '..'])('a node or workflow id %j is refused at validation: no URL could name it', async (dot) => {
    const r = await fetch(`${srv.base}/api/workflows/dots`, {
      method: 'PUT',
      body: JSON.stringify({ nodes: [{ id: dot, type: 'start' }], edges: [] }),
    });
    expect(r.status).toBe(422);
    expect(JSON.stringify(await r.json())).toContain('cannot be \\".\\" or \\"..\\"');
  });
});

describe('Upgrade headers that are not WebSocket', () => {
  /** A raw HTTP/1.1 exchange: everything the server wrote until it closed. */
  const raw = (request: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = tcp(srv.port, '127.0.0.1', () => socket.write(request));
      let data = '';
      socket.on('data', (d) => (data += d.toString('latin1')));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
      socket.setTimeout(2000, () => socket.destroy());
    });

  it('curl --http2 (an h2c upgrade offer) is answered as plain HTTP/1.1', async () => {
    const text = await raw(
      'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n',
    );
    expect(text.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(text).toContain('"ok"');
  });

  it('a client that resets the connection right after an h2c offer does not take the server down', async () => {
    await new Promise<void>((resolve) => {
      const socket = tcp(srv.port, '127.0.0.1', () => {
        socket.write('GET /api/workflows HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n');
        socket.resetAndDestroy();
        resolve();
      });
    });
    await new Promise((r) => setTimeout(r, 100));
    await stillServing();
  });

  it('one with a body is refused with a 400 that says why', async () => {
    const text = await raw(
      'POST /api/workflows/one/execute HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: h2c\r\nContent-Length: 2\r\n\r\n{}',
    );
    expect(text.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(text).toContain('send the request without Upgrade');
    await stillServing();
  });
});

describe('options and headers that are easy to get wrong', () => {
  it('a staticDir that is no directory makes listen() fail, as a missing workflowsDir does, instead of 404ing every page', async () => {
    for (const staticDir of ['/nonexistent/flowpulse-static', fileURLToPath(import.meta.url)]) {
      const server = createFlowpulseServer({ port: 0, staticDir });
      await expect(server.listen()).rejects.toThrow(`staticDir ${staticDir} is not a directory`);
      expect(server.httpServer.listening).toBe(false);
      await server.close();
    }
  });

  it('an impossible maxConcurrency fails at creation, not as a 500 on every run', () => {
    expect(() => createFlowpulseServer({ maxConcurrency: 0 })).toThrow(/maxConcurrency must be an integer ≥ 1, got 0/);
  });

  it('oversized headers get 431, as Node itself would answer', async () => {
    const text = await new Promise<string>((resolve, reject) => {
      const socket = tcp(srv.port, '127.0.0.1', () =>
        socket.write(`GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
      );
      let data = '';
      socket.on('data', (d) => (data += d.toString('latin1')));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    expect(text.split('\r\n')[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toEqual({ error: 'request headers too large' });
    await stillServing();
  });

  it('a request Node itself cannot parse gets 400 with a JSON reason, like every other refusal', async () => {
    const text = await new Promise<string>((resolve, reject) => {
      const socket = tcp(srv.port, '127.0.0.1', () => socket.write('GET /api/health HTTP/1.1\r\nHost x\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => (data += d.toString('latin1')));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    const [head, body] = text.split('\r\n\r\n');
    expect(head!.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(head).toMatch(/\r\nContent-Type: application\/json; charset=utf-8\r\n/);
    expect(JSON.parse(body!)).toEqual({ error: expect.stringMatching(/^malformed HTTP request/) });
    await stillServing();
  });

  it('the Origin allowlist ignores case, as origins do', async () => {
    const c = await srv.connect('one', { headers: { Origin: 'https://App.Example' } });
    expect((await c.waitFor((m) => m.type === 'snapshot')).data.workflow_id).toBe('one');
  });

  it('authenticate returning false refuses, like null', async () => {
    const server = createFlowpulseServer({
      port: 0,
      workflows: [{ id: 'one', nodes: [{ id: 'a', type: 'start' }] }],
      auth: { authenticate: (req) => req.token === 'right' },
    });
    const { url } = await server.listen();
    try {
      expect((await fetch(`${url}/api/workflows`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
      expect((await fetch(`${url}/api/workflows`, { headers: { Authorization: 'Bearer right' } })).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
