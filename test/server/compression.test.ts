// @vitest-environment node
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInitialState, reduceWorkflow } from 'flowpulse';
import { createBuiltinNodeTypes, createFlowpulseServer, type FlowpulseServer, type WorkflowDefinition } from 'flowpulse/server';
import { expectValidMessage } from './helpers';
import { seededRandom } from './recovery-helpers';
import { openClient, until, type TestClient } from './ws-client';

/** About `bytes` of realistic JSON rows (seeded), so compression ratios mean something. */
function rows(bytes: number, seed = 1): { id: number; name: string; email: string; score: number; tags: string[] }[] {
  const rng = seededRandom(seed);
  const names = ['ada', 'grace', 'alan', 'edsger', 'barbara', 'donald', 'ken', 'margaret', 'linus', 'guido'];
  const tags = ['new', 'vip', 'churn-risk', 'trial', 'enterprise', 'eu', 'us', 'apac'];
  const out = [];
  let size = 2;
  for (let i = 0; size < bytes; i++) {
    const name = `${names[Math.floor(rng() * names.length)]}-${Math.floor(rng() * 100_000)}`;
    const row = {
      id: i,
      name,
      email: `${name}@example.com`,
      score: Math.round(rng() * 1e6) / 100,
      tags: tags.filter(() => rng() < 0.3),
    };
    size += JSON.stringify(row).length + 1;
    out.push(row);
  }
  return out;
}

const BIG = rows(1024 * 1024);
const BIG_JSON = JSON.stringify(BIG);

const bigWorkflow: WorkflowDefinition = {
  id: 'big',
  nodes: [
    { id: 'load', type: 'bulk' },
    { id: 'sink', type: 'delay', config: { ms: 1, result: 'ok' } },
  ],
  edges: [{ id: 'e', source: 'load', target: 'sink' }],
};

const nodeTypes = () => createBuiltinNodeTypes().register('bulk', () => BIG);

let server: FlowpulseServer;
let base: string;
let wsBase: string;
const clients: TestClient[] = [];
let clock = 0;

async function runAndWatch(s: FlowpulseServer, url: string, wsUrl: string, perMessageDeflate = true) {
  const c = await openClient(`${wsUrl}/api/ws/workflow/big`, { perMessageDeflate });
  clients.push(c);
  const { execution_id: id } = await (await fetch(`${url}/api/workflows/big/execute`, { method: 'POST' })).json();
  await c.waitFor((m) => m.type === 'workflow_complete' && m.data.execution_id === id, 10_000);
  // Everything is read once the last message arrived; bytesRead counts the compressed wire bytes.
  const bytes = c.bytesRead();
  c.ws.terminate();
  return { id, bytes, client: c, record: s.registry.get(id)! };
}

function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    // node:http, not fetch: fetch would decode gzip and hide the encoding.
    const req = request(base + path, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  server = createFlowpulseServer({
    port: 0,
    nodeTypes: nodeTypes(),
    workflows: [bigWorkflow],
    executions: { retainFinishedMs: 60_000, now: () => clock },
  });
  const { port, url } = await server.listen();
  base = url;
  wsBase = `ws://127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const c of clients) c.ws.terminate();
  await server.close();
});

describe('permessage-deflate', () => {
  it('is negotiated with bounded memory settings', async () => {
    const c = await openClient(`${wsBase}/api/ws/workflow/big`);
    clients.push(c);
    const ext = String(c.response!.headers['sec-websocket-extensions']);
    expect(ext).toMatch(/^permessage-deflate/);
    expect(ext).toContain('server_no_context_takeover');
    expect(ext).toContain('client_no_context_takeover');
    expect(ext).toContain('server_max_window_bits=13');
  });

  it('can be turned off', async () => {
    const s = createFlowpulseServer({ port: 0, compression: false });
    const { port } = await s.listen();
    const c = await openClient(`ws://127.0.0.1:${port}/api/ws/workflow/x`);
    expect(c.response!.headers['sec-websocket-extensions']).toBeUndefined();
    c.ws.terminate();
    await s.close();
  });
});

describe('large results', () => {
  it('are cut from the stream and replaced by result_ref; the record keeps them', async () => {
    const { id, client, record } = await runAndWatch(server, base, wsBase);
    client.messages.forEach(expectValidMessage);
    const ref = `/api/workflows/big/executions/${id}/nodes/load/result`;
    const status = client.messages.find((m) => m.type === 'node_status' && m.data.node_id === 'load' && m.data.status === 'completed');
    expect(status.data).toMatchObject({ result: null, result_ref: ref });
    const edge = client.messages.find((m) => m.type === 'edge_flow');
    expect(edge.data.data).toMatchObject({ truncated: true, size: Buffer.byteLength(BIG_JSON), result_ref: ref });
    expect(Math.max(...client.texts.map((t) => t.length))).toBeLessThan(4096);
    expect(record.nodes.load).toMatchObject({ resultRef: ref });
    expect(record.nodes.load!.result).toEqual(BIG);
    // The client shows a reference it can fetch.
    const state = client.messages.reduce((s, m) => reduceWorkflow(s, m), createInitialState('big'));
    expect(state.nodeStatuses.load).toMatchObject({ status: 'completed', resultRef: ref });
    expect(state.nodeStatuses.load!.result).toBeUndefined();
    // So does a late joiner's snapshot.
    const late = await openClient(`${wsBase}/api/ws/workflow/big`);
    clients.push(late);
    await late.waitFor((m) => m.type === 'snapshot');
    expect(late.messages[0].data.nodes.load).toMatchObject({ status: 'completed', result: null, result_ref: ref });
    expect(late.messages[0].data.nodes.sink).toMatchObject({ result: 'ok' });
  });

  it('GET result_ref returns the full value, gzip-compressed when accepted; 404 when unknown or expired', async () => {
    const { id } = await runAndWatch(server, base, wsBase);
    const ref = `/api/workflows/big/executions/${id}/nodes/load/result`;
    const zipped = await get(ref, { 'Accept-Encoding': 'gzip, deflate' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(gunzipSync(zipped.body).toString('utf8'))).toEqual(BIG);
    expect(zipped.body.length).toBeLessThan(BIG_JSON.length / 2);
    const plain = await get(ref);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(BIG_JSON);
    expect((await get(ref, { 'Accept-Encoding': 'gzip;q=0' })).headers['content-encoding']).toBeUndefined();
    // fetch decodes gzip itself: the client API just gets the value.
    expect(await (await fetch(base + ref)).json()).toEqual(BIG);
    // A small result is served too.
    expect(JSON.parse((await get(`/api/workflows/big/executions/${id}/nodes/sink/result`)).body.toString())).toBe('ok');

    for (const bad of [
      `/api/workflows/big/executions/nope/nodes/load/result`,
      `/api/workflows/big/executions/${id}/nodes/nope/result`,
      `/api/workflows/big/executions/${id}/nodes/__proto__/result`,
      `/api/workflows/other/executions/${id}/nodes/load/result`,
    ]) {
      const r = await get(bad);
      expect(r.status, bad).toBe(404);
      expect(JSON.parse(r.body.toString()).error).toBeTruthy();
    }
    clock += 60_000; // the record (and with it the result) expires
    expect((await get(ref)).status).toBe(404);
  });
});

describe('bytes on the wire for a 1 MB result', () => {
  it('measures each combination of result_ref and permessage-deflate', async () => {
    const rowsOut: string[] = [];
    const measured: Record<string, number> = {};
    for (const [label, cut, deflate] of [
      ['inline, no deflate', false, false],
      ['inline, deflate', false, true],
      ['result_ref, no deflate', true, false],
      ['result_ref, deflate', true, true],
    ] as const) {
      const s = createFlowpulseServer({
        port: 0,
        nodeTypes: nodeTypes(),
        workflows: [bigWorkflow],
        compression: deflate ? {} : false,
        maxInlineResultBytes: cut ? 64 * 1024 : Number.MAX_SAFE_INTEGER,
        // A 1 MB inline message exceeds the default 1 MiB slow-consumer backlog on its own.
        connections: { maxBufferedBytes: 64 * 1024 * 1024 },
      });
      const { port, url } = await s.listen();
      try {
        const { bytes, client } = await runAndWatch(s, url, `ws://127.0.0.1:${port}`, deflate);
        measured[label] = bytes;
        rowsOut.push(`${label.padEnd(24)} ${String(bytes).padStart(9)} B on the socket (${client.messages.length} messages)`);
        await until(() => s.live.size === 0);
      } finally {
        await s.close();
      }
    }
    const z = await get((await runAndWatch(server, base, wsBase)).record.nodes.load!.resultRef!, { 'Accept-Encoding': 'gzip' });
    rowsOut.push(`${'GET result_ref, gzip'.padEnd(24)} ${String(z.body.length).padStart(9)} B body (JSON ${BIG_JSON.length} B)`);
    process.stdout.write(`\nwire bytes, 1 MB result (${BIG_JSON.length} B of JSON):\n${rowsOut.map((r) => `  ${r}`).join('\n')}\n`);
    expect(measured['inline, no deflate']).toBeGreaterThan(BIG_JSON.length);
    expect(measured['inline, deflate']).toBeLessThan(measured['inline, no deflate']! / 2);
    expect(measured['result_ref, no deflate']).toBeLessThan(20_000);
    // Every message is then under the 1 KiB threshold: deflate only adds its handshake header.
    expect(Math.abs(measured['result_ref, deflate']! - measured['result_ref, no deflate']!)).toBeLessThan(300);
  });
});
