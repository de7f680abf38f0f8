import type { IncomingMessage } from 'node:http';
import { bearerFromHeader, bearerFromProtocols, type AuthAction, type AuthRequest, type FlowpulseAuth } from './auth';
import { HttpError } from './http-json';
import type { TicketStore } from './tickets';

/**
 * The outcome of a WebSocket upgrade check: a principal (`null` on an open
 * server), or the HTTP status to refuse the upgrade with.
 *
 * @example
 * const d = await access.checkSocket(req, 'wf', null);
 * if (!d.ok) rejectUpgrade(socket, d.status, d.message);
 */
export type SocketDecision = { ok: true; principal: unknown } | { ok: false; status: 401 | 403; message: string };

/**
 * Options of {@link AccessControl}.
 *
 * @example
 * new AccessControl({ auth: tokenAuth('s3cret'), allowedOrigins: ['https://app.example'], tickets: new TicketStore() });
 */
export interface AccessControlOptions {
  /** Without it the server is open: every request is allowed, principal `null`. */
  auth?: FlowpulseAuth<any> | undefined;
  /**
   * A request with an `Origin` not listed is refused (403); requests without
   * `Origin` (non-browser clients) pass.
   * @default the server's own origin, pages on this machine (localhost, *.localhost, 127.0.0.0/8, [::1]) and on private IPv4 addresses
   */
  allowedOrigins?: string[] | undefined;
  tickets: TicketStore<unknown>;
}

/** Host names only this machine reaches: a page there is the developer's own. */
const isLoopbackHost = (hostname: string) =>
  hostname === 'localhost' || hostname.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname === '[::1]';

/**
 * A private IPv4 address (10/8, 172.16/12, 192.168/16): a page there is on
 * the developer's own network (a dev server on another machine); no site on
 * the internet has such an origin, and a rebinding page's origin is its name.
 */
const isPrivateAddress = (hostname: string) => /^(10|192\.168|172\.(1[6-9]|2\d|3[01]))(\.\d{1,3}){2,3}$/.test(hostname) && hostname.split('.').length === 4;

/**
 * Whether a browser page of `origin` may use a server with no allowlist: a
 * page the server itself serves (`Host`), or one on this machine or its
 * private network. Any other site a developer happens to visit must not start
 * runs on, or read from, the server on their localhost (a cross-site POST is
 * sent even without CORS).
 */
function isOwnOrLocal(origin: string, host: string | undefined): boolean {
  try {
    const page = new URL(origin);
    if (page.protocol !== 'http:' && page.protocol !== 'https:') return false;
    if (isLoopbackHost(page.hostname) || isPrivateAddress(page.hostname)) return true;
    return host !== undefined && new URL(`${page.protocol}//${host}`).host === page.host;
  } catch {
    return false; // `null` (a sandboxed frame, a file) or garbage
  }
}

/**
 * Whether a request reaching the server on a loopback address names it by a
 * name only this machine resolves, or by address. A page of another site can
 * make its own name point at 127.0.0.1 (DNS rebinding) and then talk to the
 * server as its own origin, `Host` included; it cannot make `Host` say localhost.
 */
function isLocalName(req: IncomingMessage, listedHosts: ReadonlySet<string>): boolean {
  const local = req.socket.localAddress ?? '';
  if (!(local === '::1' || local.startsWith('127.') || local.startsWith('::ffff:127.'))) return true;
  const host = req.headers.host;
  if (host === undefined) return true;
  try {
    const { hostname } = new URL(`http://${host}`);
    return isLoopbackHost(hostname) || /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.startsWith('[') || listedHosts.has(hostname);
  } catch {
    return false;
  }
}

/** The host names of listed origins: a reverse proxy on this machine may pass them on in `Host`. */
function hostsOf(origins: Iterable<string>): Set<string> {
  const hosts = new Set<string>();
  for (const origin of origins) {
    try {
      hosts.add(new URL(origin).hostname);
    } catch {
      // Not a URL (`null`): names no host.
    }
  }
  return hosts;
}

const unauthorized = (message: string) => new HttpError(401, message, {}, { 'WWW-Authenticate': 'Bearer' });

/**
 * The server's gate: Origin allowlist, authentication (bearer token, or a
 * single-use ticket for sockets) and per-workflow permissions, for both the
 * REST API and WebSocket upgrades.
 *
 * Origin checks stop cross-site WebSocket hijacking: browsers always send
 * `Origin` on a WebSocket handshake, and a page elsewhere must not ride on
 * the user's cookies or network position. Non-browser clients send none.
 *
 * @example
 * const access = new AccessControl({ auth, tickets });
 * const principal = await access.checkHttp(req, 'wf', 'execute'); // throws HttpError 401/403
 */
export class AccessControl {
  readonly #auth: FlowpulseAuth<any> | undefined;
  readonly #origins: Set<string> | undefined;
  readonly #listedHosts: Set<string>;
  readonly #tickets: TicketStore<unknown>;

  constructor(options: AccessControlOptions) {
    this.#auth = options.auth;
    // Scheme and host are case-insensitive: `https://App.example` is the same origin.
    this.#origins = options.allowedOrigins ? new Set(options.allowedOrigins.map((o) => o.replace(/\/+$/, '').toLowerCase())) : undefined;
    this.#listedHosts = hostsOf(this.#origins ?? []);
    this.#tickets = options.tickets;
  }

  /** Whether authentication is on. */
  get enabled(): boolean {
    return this.#auth !== undefined;
  }

  /**
   * Whether the request's `Origin` may use the API: always without `Origin`;
   * else when listed or, with no allowlist, when it is the server's own
   * origin or a page on this machine.
   *
   * @example
   * if (!access.originAllowed(req)) throw new HttpError(403, 'origin not allowed');
   */
  originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    return this.#origins ? this.#origins.has(origin.toLowerCase()) : isOwnOrLocal(origin, req.headers.host);
  }

  /**
   * Why a request that reached the server on a loopback address under
   * another site's name is refused, or `undefined` when it is not: a page on
   * a name made to point at 127.0.0.1 (DNS rebinding) would pass for the
   * server's own origin, and its same-origin reads send no `Origin` at all.
   * Localhost names, addresses and the hosts of `allowedOrigins` pass; a
   * reverse proxy on the same machine that passes its site's name on lists
   * that site.
   *
   * @example
   * const refusal = access.hostRefusal(req);
   * if (refusal) throw new HttpError(403, refusal);
   */
  hostRefusal(req: IncomingMessage): string | undefined {
    if (isLocalName(req, this.#listedHosts)) return undefined;
    return (
      `host ${req.headers.host} is not allowed: on this machine the server answers only to localhost names, addresses ` +
      'and the hosts of its allowed origins (a page of another site may have pointed its name here). Behind a reverse ' +
      'proxy, list the origin it is reached at with --allowed-origin (allowedOrigins).'
    );
  }

  /**
   * The CORS headers: the request's own origin when it is allowed (with
   * `Vary: Origin`), else none; `*` for a request without `Origin`.
   *
   * @example
   * for (const [k, v] of Object.entries(access.corsHeaders(req))) res.setHeader(k, v);
   */
  corsHeaders(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (origin === undefined) return { 'Access-Control-Allow-Origin': '*', Vary: 'Origin' };
    return this.originAllowed(req) ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : { Vary: 'Origin' };
  }

  /**
   * Authenticates a REST request by its `Authorization: Bearer` header.
   * Resolves with the principal (`null` on an open server); throws a 401 {@link HttpError}.
   *
   * @example
   * const principal = await access.authenticateHttp(req);
   */
  async authenticateHttp(req: IncomingMessage): Promise<unknown> {
    if (!this.#auth) return null;
    const principal = await this.#authenticate(req, bearerFromHeader(req.headers.authorization));
    if (principal == null) throw unauthorized('authentication required: send Authorization: Bearer <token>');
    return principal;
  }

  /**
   * Whether a principal may do `action` on a workflow (always on an open
   * server, or when the auth has no `authorize`).
   *
   * @example
   * const visible = ids.filter((id) => access.authorize(principal, id, 'read'));
   */
  async authorize(principal: unknown, workflowId: string, action: AuthAction): Promise<boolean> {
    if (!this.#auth?.authorize) return true;
    return (await this.#auth.authorize(principal, workflowId, action)) === true;
  }

  /**
   * Authenticates and authorizes a REST request; resolves with the
   * principal, throws a 401 or 403 {@link HttpError}.
   *
   * @example
   * await access.checkHttp(req, params.id, 'control');
   */
  async checkHttp(req: IncomingMessage, workflowId: string, action: AuthAction): Promise<unknown> {
    const principal = await this.authenticateHttp(req);
    if (!(await this.authorize(principal, workflowId, action))) {
      throw new HttpError(403, `not allowed to ${action} workflow "${workflowId}"`);
    }
    return principal;
  }

  /**
   * Checks a WebSocket upgrade before any handshake: Origin, then a ticket
   * (`?ticket=`) if given, else the token of the `flowpulse.bearer.<token>`
   * subprotocol or the `Authorization` header, then `subscribe` permission.
   *
   * @example
   * const d = await access.checkSocket(req, workflowId, query.get('ticket'));
   */
  async checkSocket(req: IncomingMessage, workflowId: string, ticket: string | null): Promise<SocketDecision> {
    const refusal = this.hostRefusal(req);
    if (refusal) return { ok: false, status: 403, message: refusal };
    if (!this.originAllowed(req)) return { ok: false, status: 403, message: `origin ${req.headers.origin} is not allowed: list it with --allowed-origin` };
    if (!this.#auth) return { ok: true, principal: null };
    let principal: unknown;
    if (ticket !== null) {
      principal = this.#tickets.redeem(ticket, workflowId);
      if (principal === undefined) return { ok: false, status: 401, message: 'invalid, used or expired ticket' };
    } else {
      const token = bearerFromProtocols(req.headers['sec-websocket-protocol']) ?? bearerFromHeader(req.headers.authorization);
      principal = await this.#authenticate(req, token);
      if (principal == null) return { ok: false, status: 401, message: 'authentication required' };
    }
    if (!(await this.authorize(principal, workflowId, 'subscribe'))) {
      return { ok: false, status: 403, message: `not allowed to subscribe to workflow "${workflowId}"` };
    }
    return { ok: true, principal };
  }

  /**
   * A single-use socket ticket for an authenticated principal, optionally for one workflow.
   *
   * @example
   * sendJson(res, 200, access.issueTicket(principal, 'wf'));
   */
  issueTicket(principal: unknown, workflowId: string | null): { ticket: string; expires_in: number } {
    const { ticket, expiresIn } = this.#tickets.issue(principal, workflowId);
    return { ticket, expires_in: expiresIn };
  }

  #authenticate(req: IncomingMessage, token: string | null): Promise<unknown> {
    const authReq = req as AuthRequest;
    authReq.token = token;
    // `false` refuses too: `authenticate: (req) => req.token === secret` must not sign everyone in.
    return Promise.resolve(this.#auth!.authenticate(authReq)).then((p) => (p === false ? null : p));
  }
}
