// @vitest-environment node
/** The default principalKey with principals whose JSON does not tell them apart: no user evicts another's tickets. */
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { serverPerFile } from './test-server';

class User {
  readonly #id: string;
  constructor(id: string) {
    this.#id = id;
  }
  get id() {
    return this.#id;
  }
}

const srv = serverPerFile(() => ({
  workflows: [{ id: 'wf', nodes: [{ id: 'a', type: 'start' }], edges: [] }],
  tickets: { maxTicketsPerPrincipal: 5 },
  // "big-<n>" signs in as a row with a BigInt id (Prisma BigInt columns), "obj-<n>" as a class
  // instance keeping its state private (JSON "{}"), "cyc-<n>" as an ORM-like object referring to itself.
  auth: {
    authenticate: (req) => {
      const t = req.token ?? '';
      if (t.startsWith('big-')) return { id: BigInt(t.slice(4)) };
      if (t.startsWith('obj-')) return new User(t.slice(4));
      if (t.startsWith('cyc-')) {
        const u: Record<string, unknown> = { id: t.slice(4) };
        u.self = u;
        return u;
      }
      return null;
    },
  },
}));

async function ticket(token: string) {
  const r = await fetch(`${srv.base}/api/ws-ticket`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  expect(r.status).toBe(200);
  return (await r.json()).ticket as string;
}

/** 'open' when the socket is accepted, else how it was refused. */
const outcome = (t: string) =>
  new Promise<string>((resolve) => {
    const ws = new WebSocket(`${srv.wsBase}/api/ws/workflow/wf?ticket=${t}`, ['flowpulse']);
    ws.on('open', () => setTimeout(() => (resolve('open'), ws.terminate()), 200));
    ws.on('unexpected-response', (_req, res) => resolve(`http ${res.statusCode}`));
    ws.on('close', (code) => resolve(`close ${code}`));
    ws.on('error', () => {});
  });

describe('default principalKey', () => {
  for (const [kind, what] of [
    ['big', 'a BigInt id'],
    ['obj', 'a class instance with #private state'],
    ['cyc', 'a reference cycle'],
  ] as const) {
    it(`principals with ${what}: one user's tickets never drop another user's`, async () => {
      const alice = await ticket(`${kind}-1`);
      for (let i = 0; i < 6; i++) await ticket(`${kind}-2`); // bob, past the per-principal cap
      expect(await outcome(alice)).toBe('open');
    });
  }

  it('BigInt ids still key the principal: a user past the cap loses their own oldest', async () => {
    const first = await ticket('big-7');
    const rest: string[] = [];
    for (let i = 0; i < 5; i++) rest.push(await ticket('big-7'));
    expect(await outcome(first)).toBe('close 4401'); // refused after the handshake, as a flowpulse client is
    expect(await outcome(rest[4]!)).toBe('open');
  });
});
