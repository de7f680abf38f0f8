// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  acceptsGzip,
  bearerFromHeader,
  bearerFromProtocols,
  isSubprotocolSafeToken,
  nodeResultPath,
  selectProtocol,
  TicketLimitError,
  TicketStore,
  tokenAuth,
} from 'flowpulse/server';

describe('token sources', () => {
  it('reads a bearer header and the token subprotocol', () => {
    expect(bearerFromHeader('Bearer abc.def')).toBe('abc.def');
    expect(bearerFromHeader('bearer  abc ')).toBe('abc');
    for (const bad of [undefined, '', 'Bearer', 'Basic abc', 'Bearer a b']) expect(bearerFromHeader(bad)).toBeNull();
    expect(bearerFromProtocols('flowpulse, flowpulse.bearer.t0k-en')).toBe('t0k-en');
    expect(bearerFromProtocols(['flowpulse', 'flowpulse.bearer.x'])).toBe('x');
    expect(bearerFromProtocols('flowpulse')).toBeNull();
    expect(bearerFromProtocols('flowpulse.bearer.')).toBeNull();
  });

  it('selects flowpulse, or another non-token protocol, never a token', () => {
    expect(selectProtocol(['flowpulse.bearer.t', 'flowpulse'])).toBe('flowpulse');
    expect(selectProtocol(['flowpulse.bearer.t', 'graphql-ws'])).toBe('graphql-ws');
    expect(selectProtocol(['flowpulse.bearer.t'])).toBe(false);
    expect(selectProtocol([])).toBe(false);
  });
});

describe('tokenAuth', () => {
  it('refuses a token browsers could not send as a subprotocol, pointing to base64url or hex', () => {
    for (const bad of ['a/b+c==', 'two words', 'semi;colon', 'naïve', '"quoted"', 'tab\there']) {
      expect(isSubprotocolSafeToken(bad), bad).toBe(false);
      expect(() => tokenAuth(bad), bad).toThrow(TypeError);
      expect(() => tokenAuth(bad)).toThrow(/use hex or unpadded base64url/);
    }
    for (const good of [randomBytes(32).toString('base64url'), randomBytes(32).toString('hex'), 's3cret']) {
      expect(isSubprotocolSafeToken(good), good).toBe(true);
      expect(() => tokenAuth(good)).not.toThrow();
    }
    // The prefix is made of token characters too, so a safe token makes a valid subprotocol.
    expect(bearerFromProtocols(`flowpulse, flowpulse.bearer.${'a'.repeat(43)}`)).toBe('a'.repeat(43));
  });
});

describe('TicketStore', () => {
  it('issues single-use, expiring, workflow-bound tickets, bounded in number', () => {
    let now = 0;
    const tickets = new TicketStore<string>({ ttlMs: 1000, maxTickets: 2, now: () => now });
    const a = tickets.issue('ada');
    expect(a.expiresIn).toBe(1);
    expect(tickets.redeem(a.ticket, 'any')).toBe('ada');
    expect(tickets.redeem(a.ticket, 'any')).toBeUndefined();
    const bound = tickets.issue('bob', 'w1').ticket;
    expect(tickets.redeem(bound, 'w2')).toBeUndefined();
    expect(tickets.redeem(bound, 'w1')).toBeUndefined(); // a failed attempt used it up
    const old = tickets.issue('x').ticket;
    now = 1000;
    expect(tickets.redeem(old, 'w')).toBeUndefined();
    const [t1, t2] = [tickets.issue('1'), tickets.issue('2')];
    // Full: refused, rather than dropping someone else's ticket; retry once the oldest expires.
    expect(() => tickets.issue('3')).toThrow(TicketLimitError);
    now = 1600;
    expect(() => tickets.issue('3')).toThrow(expect.objectContaining({ retryAfterSeconds: 1 }));
    expect([tickets.redeem(t1.ticket, 'w'), tickets.redeem(t2.ticket, 'w')]).toEqual(['1', '2']);
    const unique = new TicketStore<string>();
    expect(new Set(Array.from({ length: 50 }, () => unique.issue('y').ticket)).size).toBe(50);
  });

  it("past maxTicketsPerPrincipal drops that principal's own oldest ticket, never another's", () => {
    const tickets = new TicketStore<{ user: string }>({ maxTicketsPerPrincipal: 2 });
    const bob = tickets.issue({ user: 'bob' }).ticket;
    const [a1, a2, a3] = [1, 2, 3].map(() => tickets.issue({ user: 'ada' }).ticket);
    expect(tickets.size).toBe(3);
    expect(tickets.redeem(a1!, 'w')).toBeUndefined();
    expect([a2, a3, bob].map((t) => tickets.redeem(t!, 'w'))).toEqual([{ user: 'ada' }, { user: 'ada' }, { user: 'bob' }]);
    const byId = new TicketStore<{ id: number; seen: number }>({
      maxTicketsPerPrincipal: 1,
      principalKey: (p: { id: number }) => String(p.id),
    });
    const first = byId.issue({ id: 1, seen: 1 }).ticket;
    byId.issue({ id: 1, seen: 2 });
    expect(byId.redeem(first, 'w')).toBeUndefined(); // same principal by its key, however its object differs
  });

  it('refuses a lifetime that never ends and a cap that holds nothing, at creation', () => {
    expect(() => new TicketStore({ ttlMs: NaN })).toThrow(/ttlMs must be a finite number > 0/);
    expect(() => new TicketStore({ ttlMs: 0 })).toThrow(/ttlMs/);
    expect(() => new TicketStore({ maxTickets: 0 })).toThrow(/maxTickets must be an integer ≥ 1 \(or Infinity\), got 0/);
    expect(new TicketStore({ maxTickets: Infinity }).issue('p').ticket).toBeTruthy();
  });
});

describe('large result helpers', () => {
  it('encodes every path segment', () => {
    expect(nodeResultPath('a b/c', 'e?1', 'n#1')).toBe('/api/workflows/a%20b%2Fc/executions/e%3F1/nodes/n%231/result');
  });

  it('reads Accept-Encoding', () => {
    for (const yes of ['gzip', 'gzip, deflate, br', 'br;q=1, gzip;q=0.5', '*', 'GZIP']) expect(acceptsGzip(yes), yes).toBe(true);
    for (const no of [undefined, '', 'br', 'gzip;q=0', 'identity', 'x-gzip2']) expect(acceptsGzip(no), String(no)).toBe(false);
  });
});
