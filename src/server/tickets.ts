import { randomBytes } from 'node:crypto';

/**
 * Options of {@link TicketStore}.
 *
 * @example
 * new TicketStore({ ttlMs: 10_000, now: () => fakeNow });
 */
export interface TicketStoreOptions {
  /** How long a ticket can be used. @default 30_000 */
  ttlMs?: number;
  /** Tickets outstanding at once; issuing past it drops the oldest. @default 10_000 */
  maxTickets?: number;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

interface Ticket<P> {
  principal: P;
  workflowId: string | null;
  expiresAt: number;
}

/**
 * Short-lived, single-use WebSocket tickets: a client authenticated over
 * HTTP (`POST /api/ws-ticket` with `Authorization: Bearer …`) gets a random
 * ticket and opens the socket with `?ticket=…`, so no long-lived token
 * appears in a URL. A ticket works once, within `ttlMs`, and only for its
 * workflow when it was issued for one.
 *
 * @example
 * const tickets = new TicketStore<User>();
 * const { ticket } = tickets.issue(user, 'wf');
 * tickets.redeem(ticket, 'wf'); // user
 * tickets.redeem(ticket, 'wf'); // undefined: used up
 * @default ttlMs 30 s
 */
export class TicketStore<P = unknown> {
  readonly #tickets = new Map<string, Ticket<P>>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: TicketStoreOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#max = options.maxTickets ?? 10_000;
    // Checked here: a NaN lifetime never expires, and a cap below 1 would loop forever evicting nothing.
    if (!(Number.isFinite(this.#ttlMs) && this.#ttlMs > 0)) throw new RangeError(`ttlMs must be a finite number > 0, got ${this.#ttlMs}`);
    if (!(this.#max === Infinity || (Number.isInteger(this.#max) && this.#max >= 1))) {
      throw new RangeError(`maxTickets must be an integer ≥ 1 (or Infinity), got ${this.#max}`);
    }
    this.#now = options.now ?? Date.now;
  }

  /**
   * A new ticket for `principal`, optionally bound to one workflow.
   * `expiresIn` is in seconds, as OAuth's `expires_in`.
   *
   * @example
   * res.end(JSON.stringify(tickets.issue(principal, body.workflow_id ?? null)));
   */
  issue(principal: P, workflowId: string | null = null): { ticket: string; expiresIn: number } {
    this.#prune();
    // Maps iterate oldest first.
    while (this.#tickets.size >= this.#max) this.#tickets.delete(this.#tickets.keys().next().value!);
    const ticket = randomBytes(24).toString('base64url');
    this.#tickets.set(ticket, { principal, workflowId, expiresAt: this.#now() + this.#ttlMs });
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
    this.#tickets.delete(ticket);
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

  #prune(): void {
    const now = this.#now();
    for (const [k, t] of this.#tickets) if (t.expiresAt <= now) this.#tickets.delete(k);
  }
}
