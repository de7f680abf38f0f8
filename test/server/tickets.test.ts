// @vitest-environment node
/** Socket tickets on a server with several signed-in users: one user's tickets never cost another theirs. */
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { serverPerFile } from './test-server';

const srv = serverPerFile(() => ({
  workflows: [{ id: 'wf', nodes: [{ id: 'a', type: 'start' }], edges: [] }],
  tickets: { maxTickets: 50, maxTicketsPerPrincipal: 20 },
  // Any token signs in as the user of that name.
  auth: { authenticate: (req) => (req.token ? { user: req.token } : null) },
}));

async function issue(token: string, body?: object) {
  const r = await fetch(`${srv.base}/api/ws-ticket`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: r.status, headers: r.headers, json: await r.json() };
}

/** 'open' when the socket is accepted, else how it was refused. */
const outcome = (query: string, protocols?: string[], workflowId = 'wf') =>
  new Promise<string>((resolve) => {
    const ws = new WebSocket(`${srv.wsBase}/api/ws/workflow/${workflowId}${query}`, protocols);
    // A refused flowpulse client is closed with 44xx right after the handshake.
    ws.on('open', () => setTimeout(() => (resolve('open'), ws.terminate()), 200));
    ws.on('unexpected-response', (_req, res) => resolve(`http ${res.statusCode}`));
    ws.on('close', (code) => resolve(`close ${code}`));
    ws.on('error', () => {});
  });

describe('ticket caps', () => {
  it('a workflow_id too long for any socket path gets 400; any other id, stored or not, gets a ticket for it', async () => {
    const long = await issue('erin', { workflow_id: 'x'.repeat(100_000) });
    expect(long.status).toBe(400);
    expect(long.json.error).toBe('workflow_id longer than 1024 characters');
    // An app's own engine may broadcast to a workflow the server does not store.
    for (const id of ['wf', 'run-elsewhere']) {
      const ok = await issue('erin', { workflow_id: id });
      expect(ok.status).toBe(200);
      expect(await outcome(`?ticket=${ok.json.ticket}`, undefined, id)).toBe('open');
    }
    const other = await issue('erin', { workflow_id: 'wf' });
    expect(await outcome(`?ticket=${other.json.ticket}`, undefined, 'run-elsewhere')).toBe('http 401'); // bound to its workflow
  });

  it("a user issuing many tickets drops only their own oldest, never another user's", async () => {
    const bobs = (await issue('bob')).json.ticket;
    const alices: string[] = [];
    for (let i = 0; i < 60; i++) {
      const r = await issue('alice');
      expect(r.status).toBe(200);
      alices.push(r.json.ticket);
    }
    expect(await outcome(`?ticket=${bobs}`)).toBe('open');
    expect(await outcome(`?ticket=${alices[0]}`)).toBe('http 401'); // her own oldest made room
    expect(await outcome(`?ticket=${alices[59]}`)).toBe('open');
  });

  it('past maxTickets in all, a new ticket gets 429 with Retry-After instead of dropping anyone', async () => {
    // 19 of alice's are still out; bob and carol fill the rest.
    for (let i = 0; i < 20; i++) expect((await issue('bob')).status).toBe(200);
    const carols = [];
    for (let i = 0; i < 11; i++) carols.push((await issue('carol')).json.ticket);
    const refused = await issue('dave');
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({ error: 'too many outstanding tickets (50); try again later' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await outcome(`?ticket=${carols[0]}`)).toBe('open');
    expect((await issue('dave')).status).toBe(200); // a redeemed ticket freed its place
  });
});

describe('an empty ?ticket=', () => {
  it('counts as no ticket: a socket that also carries a valid bearer token opens', async () => {
    expect(await outcome('?ticket=', ['flowpulse', 'flowpulse.bearer.bob'])).toBe('open');
    expect(await outcome('?ticket=')).toBe('http 401'); // and without a token it is still refused
  });
});
