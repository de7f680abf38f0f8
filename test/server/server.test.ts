// @vitest-environment node
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogMessage, createPongMessage, type ExecutionMessage } from 'flowpulse/protocol';
import type { WorkflowDefinition } from 'flowpulse/server';
import { chain, expectSeqFromOne, expectValidMessage, trace } from './helpers';
import { serverPerFile } from './test-server';
import { openClient, until, type TestClient } from './ws-client';

const failing: WorkflowDefinition = {
  id: 'failing',
  name: 'Failing',
  nodes: [
    { id: 'a', type: 'delay', config: { ms: 5 } },
    { id: 'b', type: 'fail', label: 'Charge card', config: { ms: 5, message: 'Payment API returned 503' } },
    { id: 'c', type: 'delay', config: { ms: 5 } },
  ],
  edges: [
    { id: 'ab', source: 'a', target: 'b' },
    { id: 'bc', source: 'b', target: 'c' },
  ],
};

async function api(method: string, path: string, body?: string | object, headers: Record<string, string> = {}) {
  const res = await fetch(srv.base + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

const ofExecution = (c: TestClient, id: string): ExecutionMessage[] => c.messages.filter((m) => m.data?.execution_id === id);
const completeOf = (id: string) => (m: any) => m.type === 'workflow_complete' && m.data.execution_id === id;

const root = mkdtempSync(join(tmpdir(), 'flowpulse-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const srv = serverPerFile(() => {
  const workflowsDir = join(root, 'workflows');
  const staticDir = join(root, 'static');
  mkdirSync(workflowsDir);
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(workflowsDir, 'chain.json'), JSON.stringify(chain('chain', 4, 5)));
  writeFileSync(join(workflowsDir, 'other.json'), JSON.stringify(chain('other', 2, 5)));
  writeFileSync(join(workflowsDir, 'notes.txt'), 'not a workflow');
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>flowpulse</title>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(staticDir, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(root, 'secret.txt'), 'top secret');
  writeFileSync(join(staticDir, '.env'), 'DB_PASSWORD=top secret');
  mkdirSync(join(staticDir, 'docs'));
  mkdirSync(join(staticDir, 'empty'));
  writeFileSync(join(staticDir, 'docs', 'index.html'), '<a href="intro.html">intro</a>');
  // Links that lead out of the folder, to a file and to a directory.
  symlinkSync(join(root, 'secret.txt'), join(staticDir, 'link.txt'));
  symlinkSync(root, join(staticDir, 'up'));
  return { workflowsDir, staticDir, workflows: [failing], maxBodyBytes: 4096 };
});

describe('WebSocket streaming', () => {
  it('streams a run in order, every message valid by parser and schema, seq increasing', async () => {
    const c = await srv.connect('chain');
    const id = await srv.execute('chain', { who: 'ada' });
    await c.waitFor(completeOf(id));
    const msgs = ofExecution(c, id);
    msgs.forEach(expectValidMessage);
    expectSeqFromOne(msgs);
    expect(msgs[0]).toMatchObject({
      type: 'workflow_start',
      data: { workflow_id: 'chain', execution_order: ['n1', 'n2', 'n3', 'n4'], total_nodes: 4 },
    });
    expect(trace(msgs).filter((t) => t.startsWith('node_status'))).toEqual([
      'node_status:n1:running',
      'node_status:n1:completed',
      'node_status:n2:running',
      'node_status:n2:completed',
      'node_status:n3:running',
      'node_status:n3:completed',
      'node_status:n4:running',
      'node_status:n4:completed',
    ]);
    expect(msgs.filter((m) => m.type === 'edge_flow')).toHaveLength(3);
    expect(msgs.at(-1)).toMatchObject({ type: 'workflow_complete', data: { success: true, errors: [] } });
    // Every frame arrived as text.
    expect(c.texts).toHaveLength(c.messages.length);

    // The execution record matches what the client saw.
    const rec = await api('GET', `/api/workflows/chain/executions/${id}`);
    expect(rec.status).toBe(200);
    expect(rec.json).toMatchObject({ executionId: id, workflowId: 'chain', status: 'completed', progress: 100, lastSeq: msgs.at(-1)!.seq });
    for (const m of msgs) {
      if (m.type === 'node_status' && m.data.status === 'completed') {
        expect(rec.json.nodes[m.data.node_id]).toMatchObject({ status: 'completed', result: m.data.result });
      }
    }
    const complete = msgs.at(-1)!;
    expect(complete.type === 'workflow_complete' && complete.data.execution_time).toBe(rec.json.executionTime);
    expect(rec.json.logs.map((l: any) => l.message)).toEqual(msgs.flatMap((m) => (m.type === 'log' ? [m.data.message] : [])));
    const list = await api('GET', '/api/workflows/chain/executions');
    expect(list.json.map((r: any) => r.executionId)).toContain(id);
  });

  it('answers the text ping with exactly {"type":"pong","workflow_id":"<id>"}', async () => {
    const c = await srv.connect('123');
    c.ws.send('ping');
    await c.waitFor((m) => m.type === 'pong');
    // A connecting client first gets its catch-up: here, no run is known.
    expect(c.messages[0]).toMatchObject({ type: 'snapshot', data: { workflow_id: '123', execution_id: null, run_state: null } });
    expect(c.texts.slice(1)).toEqual(['{"type":"pong","workflow_id":"123"}']);
    expect(JSON.parse(c.texts[1]!)).toEqual(createPongMessage('123'));
    const odd = await srv.connect('a b/ü');
    odd.ws.send('ping');
    await odd.waitFor((m) => m.type === 'pong');
    expect(odd.messages[1]).toEqual({ type: 'pong', workflow_id: 'a b/ü' });
  });

  it('survives junk from clients, including an over-sized frame', async () => {
    const c = await srv.connect('chain');
    c.ws.send('{"type": "subscribe"');
    c.ws.send(Buffer.from([0, 1, 2]), { binary: true });
    c.ws.send('PING');
    c.ws.send('ping');
    await c.waitFor((m) => m.type === 'pong');
    expect(c.messages.filter((m) => m.type === 'pong')).toHaveLength(1);
    const big = await srv.connect('chain');
    const closed = new Promise<number>((r) => big.ws.once('close', (code) => r(code)));
    big.ws.send('x'.repeat(100 * 1024));
    expect(await closed).toBe(1009); // message too big: that client only
    c.ws.send('ping');
    await until(() => c.messages.filter((m) => m.type === 'pong').length === 2);
  });

  it('keeps concurrent executions of the same and of different workflows apart', async () => {
    const [chainA, chainB, other] = [await srv.connect('chain'), await srv.connect('chain'), await srv.connect('other')];
    const [x, y, z] = await Promise.all([srv.execute('chain'), srv.execute('chain'), srv.execute('other')]);
    await Promise.all([chainA.waitFor(completeOf(x)), chainA.waitFor(completeOf(y)), other.waitFor(completeOf(z))]);
    await chainB.waitFor(completeOf(y));
    for (const c of [chainA, chainB]) {
      expect(c.messages.some((m) => m.data?.execution_id === z)).toBe(false);
      expect(c.messages.every((m) => m.data?.workflow_id === 'chain')).toBe(true);
      for (const id of [x, y]) {
        const msgs = ofExecution(c, id);
        expectSeqFromOne(msgs);
        expect(msgs.filter((m) => m.type === 'node_status' && m.data.status === 'completed')).toHaveLength(4);
      }
    }
    const live = other.messages.filter((m) => m.type !== 'snapshot');
    expect(live.every((m) => m.data.workflow_id === 'other' && m.data.execution_id === z)).toBe(true);
    expectSeqFromOne(live);
  });

  it('broadcastAll reaches clients of every workflow; sendPersonalMessage exactly one', async () => {
    const [a, b] = [await srv.connect('w-a'), await srv.connect('w-b')];
    const msg = createLogMessage({ workflowId: '*', executionId: 'announcement', message: 'maintenance at 5', level: 'warning' });
    expect(srv.server.manager.broadcastAll(msg)).toBeGreaterThanOrEqual(2);
    await Promise.all([
      a.waitFor((m) => m.data?.execution_id === 'announcement'),
      b.waitFor((m) => m.data?.execution_id === 'announcement'),
    ]);
    expect(srv.server.manager.clientCount('w-a')).toBe(1);
    const before = [a.messages.length, b.messages.length];
    const personal = createLogMessage({ workflowId: 'w-a', executionId: 'personal', message: 'only you' });
    const sockets = srv.server.manager.sockets('w-a');
    expect(sockets).toHaveLength(1);
    expect(srv.server.manager.sendPersonalMessage(personal, sockets[0]!)).toBe(true);
    await a.waitFor((m) => m.data?.execution_id === 'personal');
    await new Promise((r) => setTimeout(r, 20));
    expect([a.messages.length, b.messages.length]).toEqual([before[0]! + 1, before[1]]);
  });

  it('a failing workflow sends the error, success false, and never starts later nodes', async () => {
    const c = await srv.connect('failing');
    const id = await srv.execute('failing');
    await c.waitFor(completeOf(id));
    const msgs = ofExecution(c, id);
    msgs.forEach(expectValidMessage);
    expectSeqFromOne(msgs);
    expect(msgs.find((m) => m.type === 'error')?.data).toMatchObject({ error: 'Payment API returned 503', node_id: 'b' });
    expect(msgs.at(-1)).toMatchObject({
      type: 'workflow_complete',
      data: { success: false, errors: ['Node "b" failed: Payment API returned 503'] },
    });
    expect(msgs.some((m) => m.type === 'node_status' && m.data.node_id === 'c')).toBe(false);
    const rec = await api('GET', `/api/workflows/failing/executions/${id}`);
    expect(rec.json).toMatchObject({
      status: 'failed',
      nodes: { c: { status: 'pending' }, b: { status: 'error', error: 'Payment API returned 503' } },
    });
  });

  it('refuses upgrades on other paths with 404, and a plain GET of the socket path with 426', async () => {
    for (const path of ['/api/ws/workflow/', '/api/ws/other/1', '/ws', '/api/ws/workflow/a/b']) {
      const err = await openClient(`${srv.wsBase}${path}`).then(
        () => 'opened',
        (e: Error) => e.message,
      );
      expect(err, path).toMatch(/404/);
    }
    const r = await api('GET', '/api/ws/workflow/1');
    expect(r.status).toBe(426);
  });
});

describe('HTTP API', () => {
  it('lists, reads and replaces workflows', async () => {
    const list = await api('GET', '/api/workflows');
    expect(list.status).toBe(200);
    expect(list.json).toEqual([
      { id: 'chain', name: 'Chain chain', nodeCount: 4 },
      { id: 'failing', name: 'Failing', nodeCount: 3 },
      { id: 'other', name: 'Chain other', nodeCount: 2 },
    ]);
    expect(list.headers.get('access-control-allow-origin')).toBe('*');
    expect((await api('GET', '/api/workflows/chain')).json).toEqual(chain('chain', 4, 5));

    const def = { name: 'Put one', nodes: [{ id: 'x', type: 'delay', config: { ms: 1 } }], edges: [] };
    const created = await api('PUT', '/api/workflows/put-one', def);
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ ...def, id: 'put-one' });
    const replaced = await api('PUT', '/api/workflows/put-one', { ...def, id: 'put-one', name: 'Renamed' });
    expect(replaced.status).toBe(200);
    expect((await api('GET', '/api/workflows/put-one')).json.name).toBe('Renamed');
    const id = await srv.execute('put-one');
    await until(() => srv.server.registry.get(id)?.status === 'completed');
  });

  it('answers bad requests with 4xx JSON reasons and keeps serving', async () => {
    const cases: [string, string, (string | object)?, number?, RegExp?][] = [
      ['POST', '/api/workflows/chain/execute', '{"initial_inputs": ', 400, /malformed JSON/],
      ['POST', '/api/workflows/chain/execute', '[1]', 400, /JSON object/],
      ['POST', '/api/workflows/chain/execute', { initial_inputs: 'x' }, 400, /initial_inputs/],
      ['POST', '/api/workflows/nope/execute', {}, 404, /unknown workflow "nope"/],
      ['GET', '/api/workflows/nope', undefined, 404, /unknown workflow/],
      ['GET', '/api/workflows/chain/executions/nope', undefined, 404, /unknown execution "nope"/],
      ['GET', '/api/workflows/nope/executions', undefined, 404, /unknown workflow/],
      ['GET', '/api/nothing/here', undefined, 404, /no such endpoint/],
      ['GET', '/api/workflows/%E0%A4%A', undefined, 400, /percent-encoding/],
      ['DELETE', '/api/workflows/chain', undefined, 405, /not allowed/],
      ['GET', '/api/workflows/chain/execute', undefined, 405, /POST/],
      ['POST', '/api/workflows', {}, 405, /not allowed/],
      ['PUT', '/api/workflows/x', { id: 'y', nodes: [] }, 400, /does not match/],
      ['PUT', '/api/workflows/x', '', 400, /workflow definition/],
      ['PUT', '/api/workflows/x', '"str"', 400, /workflow definition/],
      ['POST', '/api/workflows/chain/execute', { initial_inputs: {}, pad: 'x'.repeat(5000) }, 413, /larger than 4096/],
    ];
    for (const [method, path, body, status, reason] of cases) {
      const r = await api(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(status);
      expect(r.headers.get('content-type')).toMatch(/application\/json/);
      expect(r.json.error, `${method} ${path}`).toMatch(reason!);
    }
    const allow = await api('DELETE', '/api/workflows/chain');
    expect(allow.headers.get('allow')).toBe('GET, PUT, HEAD, OPTIONS');

    const cyclic = await api('PUT', '/api/workflows/cyc', {
      nodes: [
        { id: 'a', type: 'delay' },
        { id: 'b', type: 'teleport' },
      ],
      edges: [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'a' },
        { source: 'a', target: 'ghost' },
      ],
    });
    expect(cyclic.status).toBe(422);
    expect(cyclic.json.error).toBe('invalid workflow');
    expect(cyclic.json.problems).toEqual([
      'node "b" has unknown type "teleport"',
      'edges[2] references unknown target node "ghost"',
      'cycle detected: a → b → a',
    ]);
    expect((await api('GET', '/api/workflows/cyc')).status).toBe(404);

    // A request the HTTP parser rejects outright.
    const raw = await rawHttp('GARBAGE\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1.1 400/);

    // Still serving.
    expect((await api('GET', '/api/health')).json).toMatchObject({ status: 'ok' });
    const c = await srv.connect('chain');
    const id = await srv.execute('chain');
    await c.waitFor(completeOf(id));
  });

  it('accepts an empty execute body (or null inputs) and handles CORS preflight', async () => {
    const r = await fetch(`${srv.base}/api/workflows/other/execute`, { method: 'POST' });
    expect(r.status).toBe(202);
    const body = await r.json();
    expect(body).toMatchObject({
      workflow_id: 'other',
      status: 'running',
      execution_url: `/api/workflows/other/executions/${body.execution_id}`,
    });
    await until(() => srv.server.registry.get(body.execution_id)?.status === 'completed');
    // Python's `{"initial_inputs": None}` means no inputs, as an absent field does.
    const none = await api('POST', '/api/workflows/other/execute', { initial_inputs: null });
    expect(none.status).toBe(202);
    await until(() => srv.server.registry.get(none.json.execution_id)?.status === 'completed');
    expect(srv.server.registry.get(none.json.execution_id)?.initialInputs).toEqual({});
    const pre = await fetch(`${srv.base}/api/workflows/other/execute`, { method: 'OPTIONS' });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('turns a crashing executor into a failed run, and a handler crash into 500', async () => {
    srv.server.nodeTypes.register('explode', () => {
      throw new TypeError('kaboom');
    });
    expect((await api('PUT', '/api/workflows/boom', { nodes: [{ id: 'x', type: 'explode' }] })).status).toBe(201);
    const id = await srv.execute('boom');
    await until(() => srv.server.registry.get(id)?.status === 'failed');
    // Unregistering a type used by a stored definition makes execute a 422, not a crash.
    srv.server.nodeTypes.unregister('explode');
    const gone = await api('POST', '/api/workflows/boom/execute');
    expect(gone.status).toBe(422);
    expect(gone.json.problems[0]).toMatch(/unknown type "explode"/);
    const orig = srv.server.registry.list.bind(srv.server.registry);
    srv.server.registry.list = () => {
      throw new Error('disk on fire');
    };
    const r = await api('GET', '/api/workflows/chain/executions');
    srv.server.registry.list = orig;
    expect(r.status).toBe(500);
    expect(r.json).toEqual({ error: 'internal server error' });
  });
});

describe('static files', () => {
  it('serves index.html, js and css with their content types', async () => {
    const cases: [string, RegExp, string][] = [
      ['/', /^text\/html/, '<!doctype html><title>flowpulse</title>'],
      ['/index.html', /^text\/html/, '<!doctype html><title>flowpulse</title>'],
      ['/assets/app.js', /^text\/javascript/, 'console.log(1)'],
      ['/assets/app.css', /^text\/css/, 'body{}'],
    ];
    for (const [path, type, body] of cases) {
      const r = await fetch(srv.base + path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type')).toMatch(type);
      expect(await r.text()).toBe(body);
    }
  });

  it('never serves files outside the folder', async () => {
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/missing.js',
    ]) {
      const raw = await rawHttp(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      expect(raw, path).toMatch(/^HTTP\/1.1 404/);
      expect(raw).not.toContain('top secret');
    }
    expect((await fetch(`${srv.base}/index.html`, { method: 'POST' })).status).toBe(405);
  });

  it('a file named with a trailing slash is not found, as a folder of that name would not be', async () => {
    for (const path of ['/assets/app.js/', '/index.html/']) {
      const r = await fetch(srv.base + path);
      expect(r.status, path).toBe(404);
      expect((await r.json()).error).toBe(`not found: ${path}`);
    }
  });

  it('answers a request that still has the file with 304 and no body', async () => {
    const first = await fetch(`${srv.base}/assets/app.js`);
    const etag = first.headers.get('etag')!;
    const modified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^W\/"/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const again = await fetch(`${srv.base}/assets/app.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await fetch(`${srv.base}/assets/app.js`, { headers: { 'if-modified-since': modified } })).status).toBe(304);
    const changed = await fetch(`${srv.base}/assets/app.js`, { headers: { 'if-none-match': 'W/"other"' } });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toBe('console.log(1)');
  });

  it('never serves dotfiles, nor what a link outside the folder leads to', async () => {
    for (const path of ['/.env', '/link.txt', '/up/secret.txt', '/up/static/.env']) {
      const raw = await rawHttp(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      expect(raw, path).toMatch(/^HTTP\/1.1 404/);
      expect(raw).not.toContain('top secret');
    }
  });

  it('redirects a directory named without its slash, so its relative links resolve inside it', async () => {
    const r = await fetch(`${srv.base}/docs?v=2`, { redirect: 'manual' });
    expect(r.status).toBe(301);
    expect(r.headers.get('location')).toBe('docs/?v=2'); // relative: a proxy's path prefix survives it
    expect(await (await fetch(`${srv.base}/docs/`)).text()).toContain('intro.html');
    // A folder with nothing to serve is a plain 404, not a redirect that says it exists.
    expect((await fetch(`${srv.base}/empty`, { redirect: 'manual' })).status).toBe(404);
    // `//evil.example` is no directory here: no redirect can be made to point off-site.
    const raw = await rawHttp(`GET //evil.example HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1.1 404/);
  });
});

/** Sends raw bytes (fetch would normalize `..` away) and returns the raw response. */
function rawHttp(payload: string): Promise<string> {
  const { port } = srv;
  return new Promise((resolve, reject) => {
    import('node:net').then(({ connect: tcp }) => {
      const socket = tcp(Number(port), '127.0.0.1', () => socket.write(payload));
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
      socket.setTimeout(2000, () => {
        socket.destroy();
        resolve(data);
      });
    });
  });
}
