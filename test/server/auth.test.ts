// @vitest-environment node
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createWorkflowClient, type WebSocketConstructor } from 'flowpulse';
import { createWorkflowControl } from 'flowpulse/control';
import { createFlowpulseServer, tokenAuth, type FlowpulseAuth, type FlowpulseServer } from 'flowpulse/server';
import { chain, expectValidMessage } from './helpers';
import { closedWith, openClient, rawUpgrade, until, type TestClient } from './ws-client';

type User = { name: 'admin' | 'viewer' };
const TOKENS: Record<string, User> = { 'admin-token': { name: 'admin' }, 'viewer-token': { name: 'viewer' } };
const auth: FlowpulseAuth<User> = {
  authenticate: (req) => (req.token ? (TOKENS[req.token] ?? null) : null),
  authorize: (user, workflowId, action) =>
    workflowId !== 'forbidden' && (user.name === 'admin' || action === 'subscribe' || action === 'read'),
};

let server: FlowpulseServer;
let port: number;
let base: string;
let now = 1_000_000;
let root: string;
const clients: TestClient[] = [];

const path = (wf: string, query = '') => `/api/ws/workflow/${wf}${query}`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function socket(wf: string, options: Parameters<typeof openClient>[1] = {}, query = ''): Promise<TestClient> {
  const c = await openClient(`ws://127.0.0.1:${port}${path(wf, query)}`, options);
  clients.push(c);
  return c;
}

/** The error message of a refused socket ("Unexpected server response: 401"). */
const refusal = (wf: string, options: Parameters<typeof openClient>[1] = {}, query = '') =>
  socket(wf, options, query).then(
    () => 'opened',
    (e: Error) => e.message,
  );

/** A flowpulse client (it offers the `flowpulse` subprotocol) or a browser is refused with a close code it can read. */
const closeCodeFor = (wf: string, options: { protocols?: string[]; headers?: Record<string, string> }) =>
  closedWith(`ws://127.0.0.1:${port}${path(wf)}`, options);

async function api(method: string, p: string, headers: Record<string, string> = {}, body?: unknown) {
  const r = await fetch(base + p, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  return { status: r.status, headers: r.headers, json: text ? JSON.parse(text) : undefined, text };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'flowpulse-auth-'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>demo</title>');
  server = createFlowpulseServer({
    port: 0,
    auth,
    allowedOrigins: ['https://app.example'],
    tickets: { ttlMs: 30_000, now: () => now },
    staticDir: root,
    workflows: [chain('wf', 2, 5), chain('forbidden', 1, 1), chain('other', 1, 1)],
  });
  ({ port, url: base } = await server.listen());
});

afterAll(async () => {
  for (const c of clients) c.ws.terminate();
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('WebSocket authentication', () => {
  it('refuses a socket without a token, or with a wrong one, with HTTP 401 and no handshake', async () => {
    expect(await refusal('wf')).toMatch(/401/);
    expect(await refusal('wf', { protocols: ['flowpulse.bearer.wrong'] })).toMatch(/401/);
    const raw = await rawUpgrade(port, path('wf'), { 'Sec-WebSocket-Protocol': 'flowpulse.bearer.nope' });
    expect(raw).toMatch(/^HTTP\/1.1 401 Unauthorized\r\n/);
    expect(raw).toContain('WWW-Authenticate: Bearer');
    expect(raw).not.toMatch(/101|Sec-WebSocket-Accept/);
    expect(raw.split('\r\n\r\n')[1]).toBe('{"error":"authentication required"}');
    expect(server.manager.clientCount()).toBe(0);
  });

  it('a flowpulse client with a wrong token gets close code 4401 and no data, so it stops retrying', async () => {
    expect(await closeCodeFor('wf', { protocols: ['flowpulse', 'flowpulse.bearer.wrong'] })).toEqual({
      code: 4401,
      reason: 'authentication required',
      messages: [],
    });
    expect(server.manager.clientCount()).toBe(0);
  });

  it('refuses with 403 when authorize says no (4403 for a flowpulse client)', async () => {
    expect(await refusal('forbidden', { headers: bearer('admin-token') })).toMatch(/403/);
    const closed = await closeCodeFor('forbidden', { protocols: ['flowpulse', 'flowpulse.bearer.admin-token'] });
    expect(closed).toMatchObject({ code: 4403, messages: [] });
  });

  it('the real client stops on a refused token and says why', async () => {
    const client = createWorkflowClient({
      workflowId: 'wf',
      baseUrl: `ws://127.0.0.1:${port}`,
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      token: 'wrong',
      batch: 'sync',
      heartbeatIntervalMs: 0,
    });
    const release = client.mount();
    await until(() => client.store.getState().connection.status === 'closed');
    expect(client.store.getState().connection).toMatchObject({ why: 'fatal', closeCode: 4401 });
    release();
  });

  it('accepts the token subprotocol and answers with exactly "flowpulse", never the token', async () => {
    const c = await socket('wf', { protocols: ['flowpulse', 'flowpulse.bearer.viewer-token'] });
    expect(c.response!.headers['sec-websocket-protocol']).toBe('flowpulse');
    expect(c.ws.protocol).toBe('flowpulse');
    await c.waitFor((m) => m.type === 'snapshot');
    c.messages.forEach(expectValidMessage);
    // Offered alone, the token protocol is not selected either.
    const raw = await rawUpgrade(port, path('wf'), { 'Sec-WebSocket-Protocol': 'flowpulse.bearer.viewer-token' });
    expect(raw).toMatch(/^HTTP\/1.1 101/);
    expect(raw).not.toMatch(/viewer-token/);
    expect(raw.toLowerCase()).not.toContain('sec-websocket-protocol');
  });

  it('accepts an Authorization header from non-browser clients', async () => {
    const c = await socket('wf', { headers: bearer('admin-token') });
    await c.waitFor((m) => m.type === 'snapshot');
  });

  it('the real client sends its token and connects', async () => {
    const client = createWorkflowClient({
      workflowId: 'wf',
      baseUrl: `ws://127.0.0.1:${port}`,
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      token: async () => 'viewer-token',
      batch: 'sync',
      heartbeatIntervalMs: 0,
    });
    const release = client.mount();
    await until(() => client.store.getState().connection.status === 'open');
    release();
    await until(() => client.store.getState().connection.status === 'closed');
  });

  it('a ticket works once, only within its lifetime and for its workflow', async () => {
    expect((await api('POST', '/api/ws-ticket')).status).toBe(401);
    const issued = await api('POST', '/api/ws-ticket', bearer('viewer-token'), { workflow_id: 'wf' });
    expect(issued.status).toBe(200);
    expect(issued.json).toEqual({ ticket: expect.stringMatching(/^[\w-]{20,}$/), expires_in: 30 });
    const q = `?ticket=${issued.json.ticket}`;
    const c = await socket('wf', {}, q);
    await c.waitFor((m) => m.type === 'snapshot');
    expect(await refusal('wf', {}, q)).toMatch(/401/); // used up

    const late = (await api('POST', '/api/ws-ticket', bearer('viewer-token'))).json.ticket;
    now += 30_001;
    expect(await refusal('wf', {}, `?ticket=${late}`)).toMatch(/401/); // expired

    const forWf = (await api('POST', '/api/ws-ticket', bearer('viewer-token'), { workflow_id: 'wf' })).json.ticket;
    expect(await refusal('other', {}, `?ticket=${forWf}`)).toMatch(/401/); // another workflow
    expect((await api('POST', '/api/ws-ticket', bearer('admin-token'), { workflow_id: 'forbidden' })).status).toBe(403);
    expect((await api('POST', '/api/ws-ticket', bearer('admin-token'), { workflow_id: 7 })).status).toBe(400);
  });

  it('refuses a foreign Origin with 4403 (a browser reads no HTTP status); an allowed or absent Origin passes', async () => {
    const token = { protocols: ['flowpulse', 'flowpulse.bearer.admin-token'] };
    const foreign = { Origin: 'https://evil.example' };
    const refused = { code: 4403, reason: 'origin https://evil.example is not allowed: list it with --allowed-origin', messages: [] };
    expect(await closeCodeFor('wf', { headers: { ...bearer('admin-token'), ...foreign } })).toEqual(refused);
    expect(await closeCodeFor('wf', { ...token, headers: foreign })).toEqual(refused);
    // A browser page without a token on an auth server: told so, rather than left to retry.
    expect(await closeCodeFor('wf', { headers: { Origin: 'https://app.example' } })).toMatchObject({ code: 4401, messages: [] });
    const ok = await socket('wf', { ...token, headers: { Origin: 'https://app.example' } });
    await ok.waitFor((m) => m.type === 'snapshot');
  });
});

describe('REST authentication and permissions', () => {
  it('401 without or with a wrong token, as JSON with WWW-Authenticate', async () => {
    for (const headers of [{}, bearer('wrong'), { Authorization: 'Basic YWRtaW46YWRtaW4=' }]) {
      const r = await api('GET', '/api/workflows/wf', headers);
      expect(r.status).toBe(401);
      expect(r.json.error).toMatch(/authentication required/);
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
    }
    expect((await api('POST', '/api/workflows/wf/execute')).status).toBe(401);
  });

  it('403 when authorize says no; lists only readable workflows', async () => {
    expect((await api('POST', '/api/workflows/wf/execute', bearer('viewer-token'))).status).toBe(403);
    expect((await api('GET', '/api/workflows/forbidden', bearer('admin-token'))).status).toBe(403);
    const list = await api('GET', '/api/workflows', bearer('viewer-token'));
    expect(list.json.map((w: { id: string }) => w.id)).toEqual(['other', 'wf']);
    const run = await api('POST', '/api/workflows/wf/execute', bearer('admin-token'));
    expect(run.status).toBe(202);
    const id = run.json.execution_id;
    expect((await api('POST', `/api/workflows/wf/executions/${id}/cancel`, bearer('viewer-token'))).status).toBe(403);
    expect((await api('GET', `/api/workflows/wf/executions/${id}`, bearer('viewer-token'))).status).toBe(200);
    expect((await api('PUT', '/api/workflows/wf', bearer('viewer-token'), chain('wf', 2, 5))).status).toBe(403);
  });

  it('the client control API sends its token', async () => {
    const viewer = createWorkflowControl({ workflowId: 'wf', apiBaseUrl: base, token: 'viewer-token' });
    expect(await viewer.execute()).toMatchObject({ ok: false, status: 403 });
    const admin = createWorkflowControl({ workflowId: 'wf', apiBaseUrl: base, token: () => 'admin-token' });
    expect(await admin.execute()).toMatchObject({ ok: true, status: 202 });
  });

  it('a foreign Origin gets 403 from the API; CORS echoes an allowed one', async () => {
    const evil = await api('GET', '/api/workflows', { Origin: 'https://evil.example', ...bearer('admin-token') });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const good = await api('GET', '/api/workflows', { Origin: 'https://app.example', ...bearer('admin-token') });
    expect(good.status).toBe(200);
    expect(good.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const pre = await fetch(`${base}/api/workflows/wf/execute`, { method: 'OPTIONS', headers: { Origin: 'https://app.example' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-headers')).toContain('Authorization');
  });

  it('static files and health stay public', async () => {
    const page = await fetch(`${base}/`, { headers: { Origin: 'https://evil.example' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('demo');
    expect((await api('GET', '/api/health')).json).toMatchObject({ status: 'ok' });
  });
});

describe('tokenAuth', () => {
  it('accepts exactly its token', async () => {
    const a = tokenAuth('s3cret');
    const req = (token: string | null) => ({ token }) as never;
    expect(await a.authenticate(req('s3cret'))).toEqual({ token: true });
    for (const t of ['s3cre', 's3cret ', 'S3CRET', '', null]) expect(await a.authenticate(req(t))).toBeNull();
    expect(() => tokenAuth('')).toThrow(TypeError);
  });

  it('protects a whole server (the CLI --auth-token)', async () => {
    const s = createFlowpulseServer({ port: 0, auth: tokenAuth('s3cret'), workflows: [chain('wf', 1, 1)] });
    const { port: p, url } = await s.listen();
    try {
      expect((await fetch(`${url}/api/workflows`)).status).toBe(401);
      expect((await fetch(`${url}/api/workflows`, { headers: bearer('s3cret') })).status).toBe(200);
      const c = await openClient(`ws://127.0.0.1:${p}/api/ws/workflow/wf`, { protocols: ['flowpulse', 'flowpulse.bearer.s3cret'] });
      await c.waitFor((m) => m.type === 'snapshot');
      c.ws.terminate();
    } finally {
      await s.close();
    }
  });
});
