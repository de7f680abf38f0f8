// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { TicketStore } from 'flowpulse/server';

describe('TicketStore with maxTicketsPerPrincipal: 1', () => {
  it('keeps at most one outstanding ticket per principal', () => {
    const store = new TicketStore<string>({ maxTicketsPerPrincipal: 1 });
    for (let i = 0; i < 5; i++) store.issue('alice');
    store.close();
    expect(store.size).toBe(1); // actually 3: every other ticket escapes the per-principal set
  });

  it('redeeming a ticket whose principal set was dropped does not throw', () => {
    const store = new TicketStore<string>({ maxTicketsPerPrincipal: 1 });
    store.issue('alice'); // t1
    const t2 = store.issue('alice').ticket; // evicts t1, t2 goes into a detached set
    store.close();
    // t2 should have been the only live ticket and redeem fine (or be gone); it must never throw.
    expect(() => store.redeem(t2, 'wf')).not.toThrow();
  });
});

describe('TicketStore expiry sweep with maxTicketsPerPrincipal: 1', () => {
  it('the unreferenced sweep timer does not throw (an uncaught throw there takes the server process down)', async () => {
    const { vi } = await import('vitest');
    vi.useFakeTimers();
    try {
      const store = new TicketStore<string>({ ttlMs: 1000, maxTicketsPerPrincipal: 1 });
      store.issue('alice');
      store.issue('alice'); // detached
      // The sweep timer fires after the ttl and drops the detached ticket.
      expect(() => vi.advanceTimersByTime(2000)).not.toThrow();
      store.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
