import { randomBytes } from 'node:crypto';
import { checkCount } from './check-count';

/**
 * Options of {@link TicketStore}.
 *
 * @example
 * new TicketStore({ ttlMs: 10_000, maxTicketsPerPrincipal: 20, now: () => fakeNow });
 */
export interface TicketStoreOptions {
  /** How long a ticket can be used. @default 30_000 */
  ttlMs?: number | undefined;
  /**
   * Tickets outstanding at once, over all principals; issuing past it throws
   * a {@link TicketLimitError} (the server answers 429) rather than dropping
   * another user's ticket. @default 10_000
   */
  maxTickets?: number | undefined;
  /**
   * Tickets outstanding at once for one principal; issuing past it drops that
   * principal's oldest, never another's. Not applied to a principal that
   * `principalKey` cannot key (see there). @default 100
   */
  maxTicketsPerPrincipal?: number | undefined;
  /**
   * Tells principals apart for `maxTicketsPerPrincipal`: equal keys are one principal.
   * Pass it when principals are class instances: their `#private` fields and
   * getters are not in their JSON. A principal the default cannot key (its
   * JSON is `{}`, or it has a cycle) is held to `maxTickets` only.
   * @default the principal itself when it is a string, else its JSON (BigInts as their digits)
   * @example
   * new TicketStore<User>({ principalKey: (user) => user.id });
   */
  principalKey?: ((principal: never) => string) | undefined;
  /** Clock, for tests. @default Date.now */
  now?: (() => number) | undefined;
}

/**
 * Thrown by {@link TicketStore.issue} when `maxTickets` are outstanding.
 *
 * @example
 * try { tickets.issue(user); } catch (e) { if (e instanceof TicketLimitError) retryLater(e.retryAfterSeconds); }
 */
export class TicketLimitError extends Error {
  /** Seconds until the oldest outstanding ticket expires. */
  readonly retryAfterSeconds: number;

  constructor(max: number, retryAfterSeconds: number) {
    super(`too many outstanding tickets (${max}); try again later`);
    this.name = 'TicketLimitError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

interface Ticket<P> {
  principal: P;
  /** `undefined`: the principal could not be keyed, so no per-principal cap applies to it. */
  key: string | undefined;
  workflowId: string | null;
  expiresAt: number;
}

// `undefined` when the principal cannot be told apart from others: one shared key would let each
// such user evict the others' tickets, so those are left to the global cap instead.
function defaultPrincipalKey(principal: unknown): string | undefined {
  if (typeof principal === 'string') return principal;
  let json: string | undefined;
  try {
    // Database rows often carry BigInt ids (Prisma's BigInt columns), which JSON refuses.
    json = JSON.stringify(principal, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  } catch {
    return undefined;
  }
  // "{}" is what every class instance keeping its state in #private fields serializes to.
  return json === undefined || json === '{}' ? undefined : json;
}

/**
 * Short-lived, single-use WebSocket tickets: a client authenticated over
 * HTTP (`POST /api/ws-ticket` with `Authorization: Bearer …`) gets a random
 * ticket and opens the socket with `?ticket=…`, so no long-lived token
 * appears in a URL. A ticket works once, within `ttlMs`, and only for its
 * workflow when it was issued for one. Expired tickets are dropped as they
 * expire (by an unreferenced timer, which `close()` clears).
 *
 * @example
 * const tickets = new TicketStore<User>();
 * const { ticket } = tickets.issue(user, 'wf');
 * tickets.redeem(ticket, 'wf'); // user
 * tickets.redeem(ticket, 'wf'); // undefined: used up
 * @default ttlMs 30 s, maxTickets 10_000, maxTicketsPerPrincipal 100
 */
export class TicketStore<P = unknown> {
  /** Oldest first (a Map keeps insertion order), so expiry order too while the lifetime is fixed. */
  readonly #tickets = new Map<string, Ticket<P>>();
  /** Each principal's outstanding tickets, oldest first. */
  readonly #byPrincipal = new Map<string, Set<string>>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #maxPerPrincipal: number;
  readonly #keyOf: (principal: P) => string | undefined;
  readonly #now: () => number;
  #sweep: ReturnType<typeof setTimeout> | undefined;

  constructor(options: TicketStoreOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#max = options.maxTickets ?? 10_000;
    this.#maxPerPrincipal = options.maxTicketsPerPrincipal ?? 100;
    // Checked here: a NaN lifetime never expires, and a cap below 1 would loop forever evicting nothing.
    if (!(Number.isFinite(this.#ttlMs) && this.#ttlMs > 0)) throw new RangeError(`ttlMs must be a finite number > 0, got ${this.#ttlMs}`);
    for (const [name, value] of [
      ['maxTickets', this.#max],
      ['maxTicketsPerPrincipal', this.#maxPerPrincipal],
    ] as const)
      checkCount(name, value, 1, { infinite: true });
    this.#keyOf = (options.principalKey as ((principal: P) => string) | undefined) ?? defaultPrincipalKey;
    this.#now = options.now ?? Date.now;
  }

  /**
   * A new ticket for `principal`, optionally bound to one workflow.
   * `expiresIn` is in seconds, as OAuth's `expires_in`. Past
   * `maxTicketsPerPrincipal` the principal's own oldest ticket is dropped;
   * past `maxTickets` it throws {@link TicketLimitError}.
   *
   * @example
   * res.end(JSON.stringify(tickets.issue(principal, body.workflow_id ?? null)));
   */
  issue(principal: P, workflowId: string | null = null): { ticket: string; expiresIn: number } {
    this.#prune();
    const key = this.#keyOf(principal);
    const mine = key === undefined ? undefined : this.#byPrincipal.get(key);
    while (mine !== undefined && mine.size >= this.#maxPerPrincipal) this.#drop(mine.values().next().value!);
    // Looked up again: dropping the last one removes the principal's set.
    const own = key === undefined ? undefined : this.#byPrincipal.get(key);
    if (this.#tickets.size >= this.#max) {
      const oldest = this.#tickets.values().next().value!;
      throw new TicketLimitError(this.#max, Math.max(1, Math.ceil((oldest.expiresAt - this.#now()) / 1000)));
    }
    const ticket = randomBytes(24).toString('base64url');
    this.#tickets.set(ticket, { principal, key, workflowId, expiresAt: this.#now() + this.#ttlMs });
    if (own) own.add(ticket);
    else if (key !== undefined) this.#byPrincipal.set(key, new Set([ticket]));
    this.#arm();
    return { ticket, expiresIn: Math.round(this.#ttlMs / 1000) };
  }

  /**
   * The ticket's principal, consuming the ticket, or `undefined` when it is
   * unknown, used, expired or for another workflow (a wrong-workflow
   * attempt consumes it too: a ticket is never tried twice).
   *
   * @example
   * const principal = tickets.redeem(query.get('ticket')!, workflowId);
   */
  redeem(ticket: string, workflowId: string): P | undefined {
    const t = this.#tickets.get(ticket);
    if (!t) return undefined;
    this.#drop(ticket);
    if (t.expiresAt <= this.#now()) return undefined;
    if (t.workflowId !== null && t.workflowId !== workflowId) return undefined;
    return t.principal;
  }

  /**
   * Outstanding (unexpired, unused) tickets.
   *
   * @example
   * tickets.size; // 0
   */
  get size(): number {
    this.#prune();
    return this.#tickets.size;
  }

  /**
   * Stops the expiry timer; the store still works, it just prunes on use only.
   *
   * @example
   * tickets.close();
   */
  close(): void {
    clearTimeout(this.#sweep);
    this.#sweep = undefined;
  }

  #drop(ticket: string): void {
    const t = this.#tickets.get(ticket);
    if (!t) return;
    this.#tickets.delete(ticket);
    if (t.key === undefined) return;
    const own = this.#byPrincipal.get(t.key);
    own?.delete(ticket);
    if (own?.size === 0) this.#byPrincipal.delete(t.key);
  }

  #prune(): void {
    const now = this.#now();
    for (const [k, t] of this.#tickets) {
      // Oldest first: the first one still valid ends the sweep (a clock set back only delays it).
      if (t.expiresAt > now) break;
      this.#drop(k);
    }
  }

  // One timer for the oldest ticket, so unused tickets do not wait for the next issue to go.
  #arm(): void {
    if (this.#sweep !== undefined) return;
    const oldest = this.#tickets.values().next().value;
    if (oldest === undefined) return;
    this.#sweep = setTimeout(
      () => {
        this.#sweep = undefined;
        this.#prune();
        this.#arm();
      },
      // setTimeout takes at most 2^31 - 1 ms; a longer ttlMs is swept again at that point.
      Math.min(2 ** 31 - 1, Math.max(0, oldest.expiresAt - this.#now()) + 10),
    );
    this.#sweep.unref();
  }
}
