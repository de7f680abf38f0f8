// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { connect as tcp } from 'node:net';
import { serverPerFile } from './test-server';
import WebSocket from 'ws';
import { createWorkflowClient, type WebSocketConstructor } from 'flowpulse';
import { closedWith, rawUpgrade, until } from './ws-client';

// An open server (no auth, no allowedOrigins), as `npm start` runs one.
const srv = serverPerFile(() => ({ workflows: [{ id: 'wf', nodes: [{ id: 'a', type: 'delay', config: { ms: 1 } }] }] }));

/** A request as a browser page sends it: with `Origin`, and `Host` as the page's URL names the server. */
function browserRequest(method: string, path: string, origin: string, host = `127.0.0.1:${srv.port}`) {
  return new Promise<{ status: number; allowOrigin: string | undefined }>((resolve, reject) => {
    const req = request({ port: srv.port, host: '127.0.0.1', method, path, headers: { Origin: origin, Host: host } }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode!, allowOrigin: res.headers['access-control-allow-origin'] as string | undefined }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('an open server and browser pages of other origins', () => {
  it('a page of another site can neither start a run nor read the API', async () => {
    const runsBefore = srv.server.registry.list('wf').length;
    const post = await browserRequest('POST', '/api/workflows/wf/execute', 'https://evil.example');
    expect(post.status).toBe(403);
    expect(srv.server.registry.list('wf')).toHaveLength(runsBefore);
    const read = await browserRequest('GET', '/api/workflows', 'https://evil.example');
    expect(read).toEqual({ status: 403, allowOrigin: undefined });
    // A sandboxed frame or a local file says `null`.
    expect((await browserRequest('GET', '/api/workflows', 'null')).status).toBe(403);
  });

  it("nor read the workflow's socket: closed at once with 4403 and the reason (a browser reads no HTTP status)", async () => {
    expect(await closedWith(`${srv.wsBase}/api/ws/workflow/wf`, { headers: { Origin: 'https://evil.example' } })).toEqual({
      code: 4403,
      reason: 'origin https://evil.example is not allowed: list it with --allowed-origin',
      messages: [],
    });
    expect(srv.server.manager.clientCount()).toBe(0);
    expect(await rawUpgrade(srv.port, '/api/ws/workflow/wf', { Origin: 'http://localhost:5173' })).toMatch(/^HTTP\/1\.1 101/);
  });

  it('the client on a page of another origin stops retrying and says why, instead of reconnecting for ever', async () => {
    // What a browser does: every handshake carries the page's Origin.
    class PageSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { Origin: 'https://evil.example' } });
      }
    }
    const client = createWorkflowClient({
      workflowId: 'wf',
      baseUrl: srv.wsBase,
      WebSocket: PageSocket as unknown as WebSocketConstructor,
      heartbeatIntervalMs: 0,
    });
    const release = client.mount();
    try {
      await until(() => client.store.getState().connection.status === 'closed');
      expect(client.store.getState().connection).toMatchObject({
        why: 'fatal',
        closeCode: 4403,
        closeReason: 'origin https://evil.example is not allowed: list it with --allowed-origin',
      });
    } finally {
      release();
    }
  });

  it("pages on this machine or its network (a dev server on another port or machine) and the server's own pages are let in", async () => {
    for (const origin of [
      'http://localhost:5173',
      'http://127.0.0.1:3000',
      'http://[::1]:8080',
      'http://app.localhost:5173',
      // A dev server on another machine of the network, as a client written to the original design runs.
      'http://192.168.1.5:3000',
      'http://10.0.0.7:5173',
      'https://172.20.1.2',
    ]) {
      expect(await browserRequest('GET', '/api/workflows', origin), origin).toEqual({ status: 200, allowOrigin: origin });
    }
    // Served by the server itself, under an address.
    const own = await browserRequest('POST', '/api/workflows/wf/execute', `http://192.168.1.20:${srv.port}`, `192.168.1.20:${srv.port}`);
    expect(own).toEqual({ status: 202, allowOrigin: `http://192.168.1.20:${srv.port}` });
    // Not a look-alike, nor a public address.
    expect((await browserRequest('GET', '/api/workflows', 'http://192.168.1.20.evil.example', `192.168.1.20:${srv.port}`)).status).toBe(
      403,
    );
    expect((await browserRequest('GET', '/api/workflows', 'http://172.32.0.1:3000')).status).toBe(403);
    expect((await browserRequest('GET', '/api/workflows', 'http://8.8.8.8')).status).toBe(403);
  });

  it("a site whose name was pointed at this machine (DNS rebinding) passes for the server's own origin no more", async () => {
    const rebound = `rebind.attacker.example:${srv.port}`;
    const post = await browserRequest('POST', '/api/workflows/wf/execute', `http://${rebound}`, rebound);
    expect(post.status).toBe(403);
    // Same-origin reads send no Origin at all.
    const read = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ port: srv.port, host: '127.0.0.1', path: '/api/workflows', headers: { Host: rebound } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(read.status).toBe(403);
    // What an operator behind a reverse proxy that passes its site's name on reads.
    expect(JSON.parse(read.body).error).toMatch(/Behind a reverse proxy, list the origin it is reached at with --allowed-origin/);
    // Its page's socket is closed at once, with the reason.
    const socket = await closedWith(`${srv.wsBase}/api/ws/workflow/wf`, { headers: { Host: rebound, Origin: `http://${rebound}` } });
    expect(socket).toMatchObject({
      code: 4403,
      reason: expect.stringMatching(/^host rebind\.attacker\.example:\d+ is not allowed/),
      messages: [],
    });
    // A client that is no browser (no Origin) gets the HTTP status.
    expect(await rawUpgradeAs(rebound, {})).toMatch(/^HTTP\/1\.1 403/);
  });
});

describe('a server that lists its origins (a deployment behind a reverse proxy)', () => {
  const listed = serverPerFile(() => ({ allowedOrigins: ['https://flows.example.com'] }));

  const get = (headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        { port: listed.port, host: '127.0.0.1', path: '/api/workflows', headers },
        (res) => (res.resume(), resolve(res.statusCode!)),
      );
      req.on('error', reject);
      req.end();
    });

  it("takes its site's name in Host, and its pages; not another site's name pointed here", async () => {
    expect(await get({ Host: 'flows.example.com', Origin: 'https://flows.example.com' })).toBe(200);
    expect(await get({ Host: 'flows.example.com' })).toBe(200);
    // A rebinding page's own same-origin read carries no Origin: its Host gives it away.
    expect(await get({ Host: `rebind.attacker.example:${listed.port}` })).toBe(403);
    // A listed origin replaces the default: a localhost page is not let in unless listed.
    expect(await get({ Host: `127.0.0.1:${listed.port}`, Origin: 'http://localhost:5173' })).toBe(403);
  });
});

/** A WebSocket handshake on 127.0.0.1 that names the server `host`. */
function rawUpgradeAs(host: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({
      port: srv.port,
      host: '127.0.0.1',
      path: '/api/ws/workflow/wf',
      headers: {
        Host: host,
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        ...headers,
      },
    });
    req.on('response', (res) => (res.resume(), resolve(`HTTP/1.1 ${res.statusCode}`)));
    req.on('upgrade', (res, socket) => (socket.destroy(), resolve(`HTTP/1.1 ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
}

describe('a refused socket that never answers the close', () => {
  const refused = serverPerFile(() => ({ workflows: [{ id: 'wf', nodes: [{ id: 'a', type: 'delay', config: { ms: 1 } }] }] }));

  it('is cut within a couple of seconds (not kept for ws close timeout of 30 s)', async () => {
    const sock = tcp(refused.port, '127.0.0.1');
    let data = '';
    let closed = false;
    sock.on('data', (d) => (data += d.toString('latin1')));
    sock.on('close', () => (closed = true));
    sock.on('error', () => {});
    await new Promise((r) => sock.once('connect', r));
    sock.write(
      `GET /api/ws/workflow/wf HTTP/1.1\r\nHost: 127.0.0.1:${refused.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: https://evil.example\r\n\r\n',
    );
    try {
      await until(() => closed, 2500);
      expect(data).toMatch(/^HTTP\/1\.1 101/);
    } finally {
      sock.destroy();
    }
  });
});
