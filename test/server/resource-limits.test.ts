// @vitest-environment node
/**
 * Requests that are small on the wire but expensive in memory: each must get
 * a clear refusal (or fail its own run) while the server keeps serving.
 */
import { connect as tcp, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlowpulseServer, type FlowpulseServer } from 'flowpulse/server';
import { serverPerFile } from './test-server';
import { until } from './ws-client';

const srv = serverPerFile(() => ({
  workflows: [{ id: 'one', nodes: [{ id: 'a', type: 'start' }], edges: [] }],
}));

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${srv.base}/api${path}`, { ...init, headers: { 'Content-Type': 'application/json', ...init.headers } });

async function finished(workflowId: string, executionId: string) {
  let record: any;
  await until(() => {
    void api(`/workflows/${workflowId}/executions/${executionId}`)
      .then((r) => r.json())
      .then((r) => (record = r));
    return record !== undefined && record.status !== 'running';
  }, 10_000);
  return record;
}

describe('templates', () => {
  it('a template repeating {{node}} (its own definition) fails its node instead of growing without bound', async () => {
    const template = '{{node}}'.repeat(400); // 400 copies of a 3 KB definition: 1.3 MB
    const put = await api('/workflows/tmpl', {
      method: 'PUT',
      body: JSON.stringify({ nodes: [{ id: 't', type: 'transform', config: { template } }], edges: [] }),
    });
    expect(put.status).toBe(201);
    const record = await finished('tmpl', await srv.execute('tmpl'));
    expect(record.status).toBe('failed');
    expect(record.nodes.t.error).toBe('rendered template longer than 1048576 characters');
    expect((await api('/health')).status).toBe(200);
  });
});

const emptyObjects = (n: number) => Array.from({ length: n }, () => ({}));

describe('bodies of many small values', () => {
  it('an execute body of 120,000 empty objects (360 KB, some 8 MB parsed) gets 413 with a reason', async () => {
    const r = await api('/workflows/one/execute', {
      method: 'POST',
      body: JSON.stringify({ initial_inputs: { rows: emptyObjects(120_000) } }),
    });
    expect(r.status).toBe(413);
    expect(await r.json()).toEqual({ error: 'JSON body holds more than 100000 values' });
    // Just under the limit is still accepted.
    await srv.execute('one', { rows: emptyObjects(90_000) });
  });

  it('a PUT of a definition holding 120,000 values gets 413 too', async () => {
    const r = await api('/workflows/heavy', {
      method: 'PUT',
      body: JSON.stringify({ nodes: [{ id: 'a', type: 'start', config: { defaults: { rows: emptyObjects(120_000) } } }], edges: [] }),
    });
    expect(r.status).toBe(413);
    expect((await r.json()).error).toBe('JSON body holds more than 100000 values');
  });

  it('stored definitions share a 64 MiB budget counted per value: past it a new PUT gets 409', async () => {
    // 99,000 empty objects: 300 KB of JSON each, some 6.6 MB once parsed; ten of them reach the budget.
    const def = { nodes: [{ id: 'a', type: 'start', config: { defaults: { rows: emptyObjects(99_000) } } }], edges: [] };
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await api(`/workflows/bulk-${i}`, { method: 'PUT', body: JSON.stringify(def) })).status);
    expect(statuses.slice(0, 10)).toEqual(new Array(10).fill(201));
    const refused = await api('/workflows/bulk-10', { method: 'PUT', body: JSON.stringify(def) });
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toMatch(/^workflow storage budget reached/);
    // Replacing one with a small definition frees its share.
    expect(
      (await api('/workflows/bulk-0', { method: 'PUT', body: JSON.stringify({ nodes: [{ id: 'a', type: 'start' }], edges: [] }) })).status,
    ).toBe(200);
    expect((await api('/workflows/bulk-10', { method: 'PUT', body: JSON.stringify(def) })).status).toBe(201);
  });
});

describe('finished records of many small values', () => {
  let server: FlowpulseServer;
  let base = '';
  beforeAll(async () => {
    server = createFlowpulseServer({
      port: 0,
      workflows: [{ id: 'one', nodes: [{ id: 'a', type: 'start' }], edges: [] }],
      executions: { maxFinishedBytes: 1_000_000 },
    });
    base = (await server.listen()).url;
  });
  afterAll(() => server.close());

  it('are charged for what they hold in memory, not their JSON length, against maxFinishedBytes', async () => {
    // 5 KB of JSON (inputs and the start node's copy), some 100 KB parsed: ten do not fit in 1 MB.
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await fetch(`${base}/api/workflows/one/execute`, {
        method: 'POST',
        body: JSON.stringify({ initial_inputs: { rows: emptyObjects(800) } }),
      });
      expect(r.status).toBe(202);
      ids.push((await r.json()).execution_id);
      await until(() => server.live.size === 0, 5000);
    }
    const statuses = await Promise.all(ids.map(async (id) => (await fetch(`${base}/api/workflows/one/executions/${id}`)).status));
    expect(statuses).toEqual([404, ...new Array(9).fill(200)]); // the oldest went first
  });
});

describe('slow request bodies', () => {
  let server: FlowpulseServer;
  let port = 0;
  beforeAll(async () => {
    server = createFlowpulseServer({
      port: 0,
      workflows: [{ id: 'one', nodes: [{ id: 'a', type: 'start' }], edges: [] }],
      requestTimeoutMs: 1000,
      maxBodyBytes: 100_000,
      maxBodyBytesInFlight: 100_000,
    });
    port = (await server.listen()).port;
  });
  afterAll(() => server.close());

  /** Starts an execute that declares 90 KB of body, sends `sent` bytes of it and stalls; resolves with all it is answered. */
  function stalledUpload(sent: number): { socket: Promise<Socket>; answer: Promise<string> } {
    let socket!: Socket;
    const opened = new Promise<Socket>((ready) => {
      socket = tcp(port, '127.0.0.1', () => {
        socket.write(
          `POST /api/workflows/one/execute HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 90000\r\n\r\n`,
        );
        socket.write(`{"initial_inputs":{"s":"${'x'.repeat(sent)}`);
        ready(socket);
      });
    });
    const answer = new Promise<string>((resolve) => {
      let data = '';
      socket.on('data', (d) => (data += d.toString('latin1')));
      socket.on('close', () => resolve(data));
      socket.on('error', () => resolve(data));
    });
    return { socket: opened, answer };
  }

  it('a body that stalls gets 408 with a JSON reason once requestTimeoutMs has passed, not after 5 minutes', async () => {
    const started = Date.now();
    const { answer } = stalledUpload(100);
    const text = await Promise.race([answer, new Promise<string>((r) => setTimeout(() => r('no answer within 4 s'), 4000))]);
    expect(text.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toEqual({ error: 'request not received in full within 1000 ms' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('bodies being read at once are bounded in bytes: one more gets 503 with Retry-After, and the budget comes back', async () => {
    const first = stalledUpload(60_000);
    await first.socket;
    await new Promise((r) => setTimeout(r, 100)); // let the server take in the first body
    const second = stalledUpload(60_000);
    const text = await Promise.race([
      second.answer,
      first.answer.then(() => 'the first one ended first'),
      new Promise<string>((r) => setTimeout(() => r('no answer within 3 s'), 3000)),
    ]);
    expect(text.split('\r\n')[0]).toBe('HTTP/1.1 503 Service Unavailable');
    expect(text).toMatch(/\r\nRetry-After: 1\r\n/i);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toEqual({
      error: 'server is busy reading other request bodies; try again',
    });
    (await first.socket).destroy();
    await first.answer;
    const url = `http://127.0.0.1:${port}/api/workflows/one/execute`;
    const r = await fetch(url, { method: 'POST', body: JSON.stringify({ initial_inputs: { s: 'x'.repeat(60_000) } }) });
    expect(r.status).toBe(202);
  });
});
