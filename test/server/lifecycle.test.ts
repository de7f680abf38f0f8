// @vitest-environment node
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createFlowpulseServer, WorkflowValidationError } from 'flowpulse/server';
import { createLogMessage } from 'flowpulse/protocol';
import { chain, expectValidMessage } from './helpers';
import { openClient } from './ws-client';

const dirs: string[] = [];
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowpulse-wf-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('server lifecycle', () => {
  it('refuses invalid definitions at creation and broken workflow folders at listen, naming the file', async () => {
    expect(() => createFlowpulseServer({ port: 0, workflows: [{ id: 'x', nodes: [{ id: 'a', type: 'nope' }] }] })).toThrow(
      WorkflowValidationError,
    );
    for (const [files, reason] of [
      [{ 'bad.json': '{ nope' }, /bad\.json: .*JSON/],
      [
        { 'cyc.json': JSON.stringify({ id: 'c', nodes: [{ id: 'a', type: 'delay' }], edges: [{ source: 'a', target: 'a' }] }) },
        /cyc\.json: cycle detected: a → a/,
      ],
      [
        { 'a.json': JSON.stringify(chain('same', 1)), 'b.json': JSON.stringify(chain('same', 1)) },
        /b\.json: workflow id "same" is already used by a\.json/,
      ],
    ] as const) {
      const server = createFlowpulseServer({ port: 0, workflowsDir: folder(files) });
      await expect(server.listen()).rejects.toThrow(reason);
      expect(server.httpServer.listening).toBe(false);
      await server.close();
    }
    const missing = createFlowpulseServer({ port: 0, workflowsDir: join(tmpdir(), 'flowpulse-does-not-exist') });
    await expect(missing.listen()).rejects.toThrow(/ENOENT/);
  });

  it('rejects a second server on a taken port', async () => {
    const a = createFlowpulseServer({ port: 0 });
    const { port } = await a.listen();
    const b = createFlowpulseServer({ port });
    await expect(b.listen()).rejects.toThrow(/EADDRINUSE/);
    await b.close();
    await a.close();
  });

  it('caps stored workflows: a new PUT past the cap is 409, replacing still works', async () => {
    const server = createFlowpulseServer({ port: 0, workflows: [chain('one', 1)], maxWorkflows: 1 });
    const { url } = await server.listen();
    const put = (id: string) =>
      fetch(`${url}/api/workflows/${id}`, { method: 'PUT', body: JSON.stringify(chain(id, 2)) }).then(async (r) => [
        r.status,
        (await r.json()).error,
      ]);
    expect(await put('two')).toEqual([409, expect.stringMatching(/limit/)]);
    expect((await put('one'))[0]).toBe(200);
    await server.close();
  });

  it('close() cancels running executions, tells their clients, and closes sockets', async () => {
    const server = createFlowpulseServer({ port: 0, workflows: [chain('slow', 2, 10_000)] });
    const { url, port } = await server.listen();
    const client = await openClient(`ws://127.0.0.1:${port}/api/ws/workflow/slow`);
    const closed = new Promise<number>((r) => client.ws.once('close', (code) => r(code)));
    const { execution_id } = await (await fetch(`${url}/api/workflows/slow/execute`, { method: 'POST' })).json();
    await client.waitFor((m) => m.type === 'node_status' && m.data.status === 'running');
    const t0 = Date.now();
    await server.close();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await closed).toBe(1001);
    const complete = client.messages.find((m) => m.type === 'workflow_complete');
    expect(complete).toMatchObject({ data: { execution_id, success: false, errors: ['Execution cancelled: server shutting down'] } });
    client.messages.forEach(expectValidMessage);
    await expect(fetch(`${url}/api/workflows`)).rejects.toThrow();
  });

  it('close() does not wait on a socket whose authenticate never answers', async () => {
    const server = createFlowpulseServer({ port: 0, auth: { authenticate: () => new Promise<never>(() => {}) } });
    const { port } = await server.listen();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws/workflow/wf`, { headers: { Authorization: 'Bearer t' } });
    const gone = new Promise((r) => ws.once('close', r).once('error', r));
    await new Promise((r) => setTimeout(r, 100)); // the upgrade request is in, authentication pending
    const outcome = await Promise.race([server.close().then(() => 'closed'), new Promise((r) => setTimeout(() => r('hung'), 3000))]);
    expect(outcome).toBe('closed');
    await gone;
  });

  it('close() during start-up leaves nothing listening, and a closed server refuses to listen again', async () => {
    const dir = folder({ 'wf.json': JSON.stringify(chain('wf', 1)) });
    const early = createFlowpulseServer({ port: 0, workflowsDir: dir });
    const listening = early.listen();
    await early.close();
    await expect(listening).rejects.toThrow(/closed/);
    expect(early.httpServer.listening).toBe(false);

    const binding = createFlowpulseServer({ port: 0 });
    const bound = binding.listen();
    await binding.close();
    await expect(bound).rejects.toThrow(/closed/);
    expect(binding.httpServer.listening).toBe(false);

    const used = createFlowpulseServer({ port: 0 });
    await used.listen();
    await used.close();
    await expect(used.listen()).rejects.toThrow('this server was closed; create a new one to listen again');
    expect(used.httpServer.listening).toBe(false);
  });

  it("leaves WebSocket paths that are not its own to the app's other upgrade listeners", async () => {
    const server = createFlowpulseServer({ port: 0, workflows: [chain('wf', 1)] });
    const chat = new WebSocketServer({ noServer: true });
    server.httpServer.on('upgrade', (req, socket, head) => {
      if (req.url === '/chat') chat.handleUpgrade(req, socket, head, (ws) => ws.send('hello from chat'));
    });
    const { port } = await server.listen();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/chat`);
    expect(String(await new Promise((r, j) => ws.once('message', r).once('error', j)))).toBe('hello from chat');
    ws.close();
    const ours = await openClient(`ws://127.0.0.1:${port}/api/ws/workflow/wf`);
    ours.ws.send('ping');
    expect(await ours.waitFor((m) => m.type === 'pong')).toEqual({ type: 'pong', workflow_id: 'wf' });
    ours.ws.close();
    // An upgrade that is not a WebSocket (curl --http2) to a path of ours is still ours to answer.
    const h2c = await new Promise<string>((resolve, reject) => {
      const socket = tcp(port, '127.0.0.1', () =>
        socket.write(
          'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n',
        ),
      );
      let data = '';
      socket
        .on('data', (d) => (data += d.toString('latin1')))
        .on('close', () => resolve(data))
        .on('error', reject);
      socket.setTimeout(2000, () => socket.destroy());
    });
    expect(h2c.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    chat.close();
    const closed = await Promise.race([server.close().then(() => 'closed'), new Promise((r) => setTimeout(() => r('hung'), 3000))]);
    expect(closed).toBe('closed');
  });
});

describe('backpressure over a real socket', () => {
  it('drops a client that stops reading with 1013 "slow consumer"; a reading client keeps up', async () => {
    // Without compression: this is about the TCP backlog, not zlib's queue (which counts too, for every client).
    const server = createFlowpulseServer({
      port: 0,
      compression: false,
      connections: { maxBufferedBytes: 256 * 1024, slowConsumerGraceMs: 5000 },
    });
    const { port } = await server.listen();
    const fast = await openClient(`ws://127.0.0.1:${port}/api/ws/workflow/big`);
    const slow = await openClient(`ws://127.0.0.1:${port}/api/ws/workflow/big`);
    const closed = new Promise<[number, string]>((r) => slow.ws.once('close', (code, reason) => r([code, reason.toString()])));
    // Stop reading at the TCP level: the server's backlog for this client can only grow.
    (slow.ws as any)._socket.pause();
    const chunk = 'x'.repeat(64 * 1024);
    let sent = 0;
    for (; sent < 2000 && server.manager.stats().droppedSlowConsumers === 0; sent++) {
      server.manager.broadcastToWorkflow(createLogMessage({ workflowId: 'big', executionId: 'e', message: chunk, seq: sent + 1 }), 'big');
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(server.manager.stats().droppedSlowConsumers).toBe(1);
    expect(server.manager.clientCount('big')).toBe(1);
    (slow.ws as any)._socket.resume();
    expect(await closed).toEqual([1013, 'slow consumer']);
    await fast.waitFor((m) => m.seq === sent, 10_000);
    expect(fast.messages[0]).toMatchObject({ type: 'snapshot', data: { execution_id: null } });
    expect(fast.messages.slice(1)).toHaveLength(sent);
    await fast.close();
    await server.close();
  });
});
