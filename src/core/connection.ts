import { FLOWPULSE_PROTOCOL, workflowSocketPath } from '../protocol';
import { errorText, withDefaults, type OptionalFields } from './internal';
import { backoffDelay, DEFAULT_RECONNECT, type ReconnectPolicy } from './backoff';
import { INITIAL_CONNECTION, type CloseReason, type ConnectionState } from './state';

/** The part of the WebSocket API the connection uses; browsers' and `ws`'s both fit. */
export interface SocketLike {
  readonly readyState: number;
  binaryType?: string | undefined;
  onopen: ((ev: any) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: any) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket constructor: `globalThis.WebSocket`, `ws`, or mock-socket's. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => SocketLike;

/** A problem the connection reports without throwing. */
export interface ConnectionError {
  code: 'socket_error' | 'no_websocket' | 'send_failed';
  message: string;
}

/** Options of {@link WorkflowConnection}. */
export interface WorkflowConnectionOptions {
  workflowId: string;
  /** Full socket URL; wins over `baseUrl`. */
  url?: string | undefined;
  /** @default 'ws://localhost:8000' */
  baseUrl?: string | undefined;
  /** @default globalThis.WebSocket */
  WebSocket?: WebSocketConstructor | undefined;
  protocols?: string | string[] | undefined;
  /**
   * Sent as the `flowpulse.bearer.<token>` subprotocol (browsers cannot set
   * headers on a WebSocket). A function is asked again before every connect,
   * so a refreshed token is used on reconnect.
   */
  token?: string | null | (() => string | null | undefined | Promise<string | null | undefined>) | undefined;
  /** Extra query parameters, read before every connect (the client sends its resume position this way). */
  query?: (() => Record<string, string | number | boolean | null | undefined>) | undefined;
  /** Text `ping` every this many ms while open; 0 turns the heartbeat off. @default 30000 */
  heartbeatIntervalMs?: number | undefined;
  /** No message at all this long after a ping means the socket is dead. @default 10000 */
  heartbeatTimeoutMs?: number | undefined;
  /** An attempt still not open after this long (token included) is dropped and retried. @default 15000 */
  connectTimeoutMs?: number | undefined;
  /** `false` never reconnects. */
  reconnect?: OptionalFields<ReconnectPolicy> | false | undefined;
  /** Close codes after which reconnecting is pointless. @default [1008, 4401, 4403, 4404] */
  fatalCloseCodes?: number[] | undefined;
  onMessage?: ((data: string) => void) | undefined;
  onStateChange?: ((state: ConnectionState) => void) | undefined;
  onError?: ((error: ConnectionError) => void) | undefined;
}

const OPEN = 1;
/** The close fields of a connection that is not (or no longer) closing. */
const FRESH = { closeCode: null, closeReason: null, why: null } as const;
const DEFAULT_FATAL = [1008, 4401, 4403, 4404];

/** A live, self-healing socket for one workflow. */
export interface WorkflowConnection {
  /** The state now. */
  readonly state: ConnectionState;
  /** The URL the next connect will use (reading it asks the `query` option). */
  readonly url: string;
  /** That URL without its query: asks nothing, so it is safe to read any time. */
  readonly address: string;
  /** Opens the socket, unless one is open or opening. */
  connect(): void;
  /** Drops the current socket (if any) and connects again at once, attempts reset. */
  reconnect(): void;
  /** Closes for good: no reconnect until `connect()` is called again. */
  close(code?: number, reason?: string): void;
  /** Sends a text frame (objects are JSON-encoded). False when not open. */
  send(data: string | object): boolean;
  /**
   * Changes options; URL changes apply at the next connect (call `reconnect()` to apply now).
   * A retry already scheduled is cancelled by `reconnect: false` or a `maxAttempts` it exceeds.
   */
  setOptions(options: OptionalFields<WorkflowConnectionOptions>): void;
}

/** RFC 7230 token characters: all a subprotocol (and so a token riding in one) may hold. */
const SUBPROTOCOL_SAFE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function withQuery(url: string, query: Record<string, unknown> | undefined): string {
  const parts: string[] = [];
  for (const k in query)
    if (query[k] != null && query[k] !== false) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(query[k]))}`);
  return parts.length ? url + (url.includes('?') ? '&' : '?') + parts.join('&') : url;
}

/**
 * One workflow's socket, kept alive: heartbeat, reconnect with backoff and
 * jitter, waiting out offline periods, giving up on fatal close codes.
 * Framework-free; the React layer and the store sit on top.
 *
 * @example
 * const conn = createWorkflowConnection({ workflowId: '123', onMessage: (text) => handle(text) });
 * conn.connect();
 * // later
 * conn.close();
 */
export function createWorkflowConnection(initial: WorkflowConnectionOptions): WorkflowConnection {
  let o = initial;
  let socket: SocketLike | null = null;
  let current: ConnectionState = INITIAL_CONNECTION;
  // One pending timeout at a time (connect deadline, reconnect delay or next ping), plus the ping's answer deadline.
  let timer: ReturnType<typeof setTimeout> | undefined;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  let openedAt = 0;
  let waitingOnline = false;
  // Bumped whenever a pending open is abandoned, so a late token answer is ignored, and whenever the
  // socket is torn down: an app callback that closes or reconnects from inside a state change has
  // the last word, and the code that notified it stops there.
  let generation = 0;
  let opening = false;
  let retryWhy: CloseReason = 'client';

  // The address without the query: reading the query has effects (the client settles its resume position).
  const address = () => o.url ?? (o.baseUrl ?? 'ws://localhost:8000').replace(/\/$/, '') + workflowSocketPath(o.workflowId);
  const url = () => withQuery(address(), o.query?.());
  const set = (patch: Partial<ConnectionState>) => {
    current = { ...current, ...patch };
    o.onStateChange?.(current);
  };
  const fail = (code: ConnectionError['code'], message: string) => o.onError?.({ code, message });
  const later = (fn: () => void, ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
  const clearTimers = () => {
    clearTimeout(timer);
    clearTimeout(deadline);
    timer = deadline = undefined;
    if (waitingOnline) {
      waitingOnline = false;
      removeEventListener('online', onOnline);
    }
  };
  const send = (data: string | object) => {
    if (socket?.readyState !== OPEN) return false;
    try {
      socket.send(typeof data === 'string' ? data : JSON.stringify(data));
      return true;
    } catch (e) {
      fail('send_failed', errorText(e));
      return false;
    }
  };
  const teardown = (code: number, reason: string) => {
    clearTimers();
    generation++;
    opening = false;
    const s = socket;
    socket = null;
    if (!s) return;
    s.onopen = s.onmessage = s.onclose = null;
    // Closed at once even while connecting (browsers then log a warning): a socket left to open first
    // would hold up the next connection to the same server. `ws` in Node reports that close as an
    // error event, which with no listener at all would crash the process.
    s.onerror = () => {};
    try {
      s.close(code, reason);
    } catch {
      // Some implementations throw on closing a socket that never opened; it is gone either way.
    }
  };
  const closed = (why: CloseReason, closeCode: number | null, closeReason: string | null) => {
    clearTimers(); // a closed connection keeps no timer (an attempt's connect deadline included)
    set({ status: 'closed', closeCode, closeReason, why, nextRetryAt: null });
  };

  /** Why the policy allows no retry numbered `attempt` (the close's own `why` when retries are off), or null. */
  const noRetry = (attempt: number, why: CloseReason): CloseReason | null =>
    o.reconnect === false ? why : attempt > withDefaults(DEFAULT_RECONNECT, o.reconnect).maxAttempts ? 'max-attempts' : null;

  const scheduleReconnect = (why: CloseReason, closeCode: number | null, closeReason: string | null) => {
    if (o.reconnect === false) return closed(why, closeCode, closeReason);
    const policy = withDefaults(DEFAULT_RECONNECT, o.reconnect);
    const stable = openedAt && Date.now() - openedAt >= policy.stableAfterMs;
    openedAt = 0;
    const attempt = (stable ? 0 : current.attempt) + 1;
    const stop = noRetry(attempt, why);
    if (stop) return closed(stop, closeCode, closeReason);
    const offline = typeof navigator !== 'undefined' && navigator.onLine === false && typeof addEventListener === 'function';
    // The state says `offline` while waiting; a wait cancelled later closes for the reason the socket went.
    retryWhy = why;
    const delay = offline ? 0 : backoffDelay(attempt, policy);
    const gen = generation;
    set({
      status: 'reconnecting',
      attempt,
      closeCode,
      closeReason,
      why: offline ? 'offline' : why,
      nextRetryAt: offline ? null : Date.now() + delay,
    });
    if (gen !== generation) return;
    if (!offline) return later(() => open(attempt), delay);
    waitingOnline = true;
    addEventListener('online', onOnline);
  };

  /** A dead socket may never fire `close`, so it is detached and replaced without waiting. */
  const drop = (why: CloseReason, reason: string) => {
    teardown(4000, reason);
    scheduleReconnect(why, null, reason);
  };
  /** Reports a problem, then goes on with `next` unless the app's `onError` closed or reconnected meanwhile. */
  const failThen = (code: ConnectionError['code'], message: string, next: () => void) => {
    const gen = generation;
    fail(code, message);
    if (gen === generation) next();
  };
  /** A failed attempt (bad token answer, constructor threw) is reported and retried. */
  const retry = (message: string, reason: string) => failThen('socket_error', message, () => scheduleReconnect('error', null, reason));

  const open = (attempt: number) => {
    const Ctor = o.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor | undefined }).WebSocket;
    if (!Ctor) {
      return failThen('no_websocket', 'No WebSocket implementation: pass options.WebSocket', () =>
        closed('error', null, 'no WebSocket implementation'),
      );
    }
    const gen = generation;
    // A fresh start says nothing of why the last connection ended.
    set({ status: attempt ? 'reconnecting' : 'connecting', attempt, nextRetryAt: null, ...(attempt ? {} : FRESH) });
    if (gen !== generation) return;
    // A handshake into a firewall that drops packets, or a token that never comes, must not hang forever.
    later(() => (opening || socket?.readyState === 0) && drop('error', 'connect timeout'), o.connectTimeoutMs ?? 15_000);
    if (typeof o.token !== 'function') return construct(Ctor, o.token);
    const pending = ++generation;
    opening = true;
    Promise.resolve()
      .then(o.token)
      .then(
        (token) => pending === generation && construct(Ctor, token),
        (e) => {
          if (pending !== generation) return;
          opening = false;
          retry(`token: ${errorText(e)}`, errorText(e));
        },
      );
  };

  const construct = (Ctor: WebSocketConstructor, token: string | null | undefined) => {
    opening = false;
    if (token && !SUBPROTOCOL_SAFE.test(token)) {
      return failThen('socket_error', 'token has characters a WebSocket subprotocol cannot carry (use base64url or hex)', () =>
        closed('error', null, 'unusable token'),
      );
    }
    // Offering `flowpulse` whenever a token function is configured (even when it has no token now) lets a
    // flowpulse server refuse with 4401, which stops the retries, instead of an HTTP 401 seen as 1006.
    const base = o.protocols === undefined ? [FLOWPULSE_PROTOCOL] : ([] as string[]).concat(o.protocols);
    const protocols = token ? [...base, `${FLOWPULSE_PROTOCOL}.bearer.${token}`] : typeof o.token === 'function' ? base : o.protocols;
    let s: SocketLike;
    try {
      s = socket = new Ctor(url(), protocols);
    } catch (e) {
      return retry(errorText(e), errorText(e));
    }
    s.binaryType = 'arraybuffer';
    s.onopen = () => {
      openedAt = Date.now();
      set({ status: 'open', ...FRESH, nextRetryAt: null });
      if (socket !== s) return; // closed or replaced from inside onStateChange
      // The heartbeat takes the pending-timeout slot over: the connect deadline is moot once open.
      const interval = o.heartbeatIntervalMs ?? 30_000;
      const beat = () =>
        later(() => {
          // Armed even when the ping cannot go: a socket stuck closing sends nothing and hears nothing.
          send('ping');
          deadline ??= setTimeout(() => drop('heartbeat-timeout', 'no answer to ping'), o.heartbeatTimeoutMs ?? 10_000);
          beat();
        }, interval);
      if (interval) beat();
    };
    s.onmessage = (ev) => {
      clearTimeout(deadline);
      deadline = undefined;
      o.onMessage?.(typeof ev.data === 'string' ? ev.data : new TextDecoder().decode(ev.data as ArrayBuffer));
    };
    // Origin and path only: the query may carry a ticket or a credential. Browsers say nothing more;
    // Node's `ws` says why ("Server sent no subprotocol", "Unexpected server response: 401").
    s.onerror = (ev) =>
      fail(
        'socket_error',
        `WebSocket error on ${address()
          .split('?')[0]!
          .replace(/\/\/[^@/]*@/, '//')}${typeof ev?.message === 'string' && ev.message ? `: ${ev.message}` : ''}`,
      );
    s.onclose = (ev) => {
      if (socket !== s) return;
      socket = null;
      clearTimers();
      const reason = ev.reason || null;
      if ((o.fatalCloseCodes ?? DEFAULT_FATAL).includes(ev.code)) return closed('fatal', ev.code, reason);
      // Closed before it ever opened: nothing answered (refused, unreachable), no server closed it.
      scheduleReconnect(openedAt ? 'server' : 'error', ev.code, reason);
    };
  };

  function onOnline() {
    clearTimers();
    if (!socket) open(current.attempt);
  }

  return {
    get state() {
      return current;
    },
    get url() {
      return url();
    },
    get address() {
      return address();
    },
    connect() {
      if (socket || opening) return;
      clearTimers();
      open(current.status === 'reconnecting' ? current.attempt : 0);
    },
    reconnect() {
      teardown(1000, 'reconnect');
      open(0);
    },
    close(code = 1000, reason = 'client closed') {
      teardown(code, reason);
      closed('client', code, reason);
    },
    send,
    setOptions(next) {
      o = { ...o, ...next };
      // A retry already waiting (on its timer or for `online`) follows the new policy: none, or none past the new maximum.
      if (current.status !== 'reconnecting' || socket || opening) return;
      const why = noRetry(current.attempt, retryWhy);
      if (!why) return;
      // Called from onStateChange as the retry is announced: the code announcing it must stop there, not arm it.
      generation++;
      closed(why, current.closeCode, current.closeReason);
    },
  };
}
