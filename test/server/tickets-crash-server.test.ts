// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { serverPerFile } from './test-server';

const srv = serverPerFile(() => ({
  workflows: [{ id: 'wf', nodes: [{ id: 'a', type: 'start' }], edges: [] }],
  tickets: { ttlMs: 300, maxTicketsPerPrincipal: 1 },
  auth: { authenticate: (req) => (req.token ? { user: req.token } : null) },
}));

describe('server with tickets.maxTicketsPerPrincipal: 1', () => {
  it('survives a user asking twice for a ticket and leaving them unused', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    // vitest installs its own handler; collect what reaches the process too.
    process.prependListener('uncaughtException', onUncaught);
    try {
      for (let i = 0; i < 2; i++) {
        const r = await fetch(`${srv.base}/api/ws-ticket`, { method: 'POST', headers: { authorization: 'Bearer ada' } });
        expect(r.status).toBe(200);
      }
      await new Promise((r) => setTimeout(r, 700)); // the sweep timer drops the expired tickets
      expect(uncaught.map(String)).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
