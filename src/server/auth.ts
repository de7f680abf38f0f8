import { FLOWPULSE_PROTOCOL } from '../protocol';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * What a principal wants to do with a workflow:
 * `subscribe` (watch its socket), `execute` (start a run), `control`
 * (pause, resume, cancel a run), `read` (definitions, runs, results),
 * `write` (`PUT` a definition).
 *
 * @example
 * const action: AuthAction = 'control';
 */
export type AuthAction = 'subscribe' | 'execute' | 'control' | 'read' | 'write';

/**
 * The request being authenticated, with the bearer token the server found
 * (the `flowpulse.bearer.<token>` subprotocol or the `Authorization: Bearer`
 * header), or `null` when there is none (cookies and other headers are on `req`).
 *
 * @example
 * authenticate: (req) => (req.token === process.env.API_TOKEN ? { user: 'ops' } : null)
 */
export type AuthRequest = IncomingMessage & { token?: string | null | undefined };

/**
 * Authentication and permissions for {@link createFlowpulseServer}.
 * `authenticate` returns a principal (any value but `null`, `undefined` or
 * `false`) or one of those (401), so a boolean check refuses as it reads. `authorize`, when given, decides per workflow and action
 * (`false` is 403); without it every authenticated principal may do everything.
 * Either may be async; a throw is answered 500 and reported to `onError`.
 *
 * @example
 * const auth: FlowpulseAuth<{ user: string; admin: boolean }> = {
 *   authenticate: async (req) => (req.token ? await sessions.lookup(req.token) : null),
 *   authorize: (p, workflowId, action) => p.admin || action === 'subscribe' || action === 'read',
 * };
 */
export interface FlowpulseAuth<P = unknown> {
  authenticate(req: AuthRequest): P | null | undefined | Promise<P | null | undefined>;
  authorize?: ((principal: P, workflowId: string, action: AuthAction) => boolean | Promise<boolean>) | undefined;
}

const BEARER_PROTOCOL_PREFIX = `${FLOWPULSE_PROTOCOL}.bearer.`;

/** RFC 7230 `token` characters: all a `Sec-WebSocket-Protocol` value may hold (browsers and `ws` enforce it). */
const SUBPROTOCOL_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Whether a bearer token can be sent as the `flowpulse.bearer.<token>`
 * subprotocol, the only way a browser can authenticate a WebSocket: it must
 * be non-empty and made of RFC 7230 token characters (letters, digits and
 * ``!#$%&'*+-.^_`|~``), so no spaces, `/`, `=`, `:` or non-ASCII. Hex and
 * unpadded base64url qualify.
 *
 * @example
 * isSubprotocolSafeToken(randomBytes(32).toString('base64url')); // true
 * isSubprotocolSafeToken('a/b=='); // false: standard base64
 */
export function isSubprotocolSafeToken(token: string): boolean {
  return SUBPROTOCOL_TOKEN.test(token);
}

/**
 * Why a token is unusable, for error messages; never quotes the token (a secret).
 *
 * @example
 * throw new Error(`--auth-token ${SUBPROTOCOL_TOKEN_HINT}`);
 */
export const SUBPROTOCOL_TOKEN_HINT =
  "contains characters a WebSocket subprotocol cannot carry (allowed: letters, digits and !#$%&'*+-.^_`|~), " +
  'so browsers could not authenticate; use hex or unpadded base64url, e.g. `openssl rand -hex 32`';

/** Hashing first makes the comparison constant-time whatever the lengths. */
const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * An auth that accepts exactly one bearer token (compared in constant time),
 * for a single shared secret such as the CLI's `--auth-token`. Every action
 * is allowed to whoever holds it. Throws a TypeError for a token that is not
 * {@link isSubprotocolSafeToken}: browsers could never present it on a socket.
 *
 * @example
 * createFlowpulseServer({ auth: tokenAuth(process.env.FLOWPULSE_AUTH_TOKEN!) });
 */
export function tokenAuth(token: string): FlowpulseAuth<{ token: true }> {
  if (typeof token !== 'string' || token.length === 0) throw new TypeError('tokenAuth needs a non-empty token');
  if (!isSubprotocolSafeToken(token)) throw new TypeError(`tokenAuth: the token ${SUBPROTOCOL_TOKEN_HINT}`);
  const expected = digest(token);
  return {
    authenticate: (req) => (typeof req.token === 'string' && timingSafeEqual(digest(req.token), expected) ? { token: true } : null),
  };
}

/**
 * The token of an `Authorization: Bearer <token>` header, or `null`.
 *
 * @example
 * bearerFromHeader('Bearer abc'); // 'abc'
 */
export function bearerFromHeader(header: string | undefined): string | null {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return m ? m[1]! : null;
}

/**
 * The subprotocols a WebSocket client offered (`Sec-WebSocket-Protocol`).
 *
 * @example
 * offeredProtocols('flowpulse, flowpulse.bearer.abc'); // ['flowpulse', 'flowpulse.bearer.abc']
 */
export function offeredProtocols(header: string | string[] | undefined): string[] {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  return text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/**
 * The token a browser sent as the `flowpulse.bearer.<token>` subprotocol
 * (browsers cannot set headers on a WebSocket), or `null`.
 *
 * @example
 * bearerFromProtocols('flowpulse, flowpulse.bearer.abc'); // 'abc'
 */
export function bearerFromProtocols(header: string | string[] | undefined): string | null {
  const p = offeredProtocols(header).find((x) => x.startsWith(BEARER_PROTOCOL_PREFIX));
  return p && p.length > BEARER_PROTOCOL_PREFIX.length ? p.slice(BEARER_PROTOCOL_PREFIX.length) : null;
}

/**
 * The subprotocol to answer with: `flowpulse` when offered, else the first
 * offered one that is not a token, else none. A token is never echoed: it
 * would end up in logs and proxies that record handshake headers.
 *
 * @example
 * new WebSocketServer({ noServer: true, handleProtocols: (offered) => selectProtocol(offered) });
 */
export function selectProtocol(offered: Iterable<string>): string | false {
  const list = [...offered];
  if (list.includes(FLOWPULSE_PROTOCOL)) return FLOWPULSE_PROTOCOL;
  return list.find((p) => !p.startsWith(BEARER_PROTOCOL_PREFIX)) ?? false;
}
