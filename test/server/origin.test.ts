// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { serverPerFile } from './test-server';
import { rawUpgrade } from './ws-client';

// An open server (no auth, no allowedOrigins), as `npm start` runs one.
const srv = serverPerFile(() => ({ workflows: [{ id: 'wf', nodes: [{ id: 'a', type: 'delay', config: { ms: 1 } }] }] }));

/** A request as a browser page sends it: with `Origin`, and `Host` as the page's URL names the server. */
function browserRequest(method: string, path: string, origin: string, host = `127.0.0.1:${srv.port}`) {
  return new Promise<{ status: number; allowOrigin: string | undefined }>((resolve, reject) => {
    const req = request({ port: srv.port, host: '127.0.0.1', method, path, headers: { Origin: origin, Host: host } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, allowOrigin: res.headers['access-control-allow-origin'] as string | undefined }));
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

  it("nor open the workflow's socket", async () => {
    expect(await rawUpgrade(srv.port, '/api/ws/workflow/wf', { Origin: 'https://evil.example' })).toMatch(/^HTTP\/1\.1 403/);
    expect(await rawUpgrade(srv.port, '/api/ws/workflow/wf', { Origin: 'http://localhost:5173' })).toMatch(/^HTTP\/1\.1 101/);
  });

  it("pages on this machine (a dev server on another port) and the server's own pages are let in", async () => {
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3000', 'http://[::1]:8080', 'http://app.localhost:5173']) {
      expect(await browserRequest('GET', '/api/workflows', origin), origin).toEqual({ status: 200, allowOrigin: origin });
    }
    // Served by the server itself under its public name (behind a proxy, say).
    const own = await browserRequest('POST', '/api/workflows/wf/execute', 'https://flows.example.com', 'flows.example.com');
    expect(own).toEqual({ status: 202, allowOrigin: 'https://flows.example.com' });
    // Not a look-alike.
    expect((await browserRequest('GET', '/api/workflows', 'https://flows.example.com.evil.example', 'flows.example.com')).status).toBe(403);
  });
});
