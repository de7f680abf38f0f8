// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { TicketStore } from 'flowpulse/server';

describe('TicketStore with a ttl past setTimeout range (~24.8 days)', () => {
  it('arms its sweep timer a bounded number of times, not every millisecond', async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const store = new TicketStore<string>({ ttlMs: 30 * 24 * 3600 * 1000 });
    store.issue('alice');
    await new Promise((r) => setImmediate(r));
    const before = spy.mock.calls.length;
    await new Promise((r) => setTimeout(r, 200));
    const armed = spy.mock.calls.length - before - 1;
    store.close();
    spy.mockRestore();
    warn.mockRestore();
    expect(armed).toBeLessThan(5); // re-armed ~ every 1 ms: a busy loop for as long as a ticket is outstanding
  });
});
