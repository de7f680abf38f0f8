import { workflowSocketPath } from '../protocol';
import { backoffDelay, DEFAULT_RECONNECT, type ReconnectPolicy } from './backoff';
import { INITIAL_CONNECTION, type CloseReason, type ConnectionState } from './state';

/** The part of the WebSocket API the connection uses; browsers' and `ws`'s both fit. */
export interface SocketLike {
  readonly readyState: number;
  binaryType?: string;
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
  url?: string;
  /** @default 'ws://localhost:8000' */
  baseUrl?: string;
  /** @default globalThis.WebSocket */
  WebSocket?: WebSocketConstructor;
  protocols?: string | string[];
  /** Text `ping` every this many ms while open; 0 turns the heartbeat off. @default 30000 */
  heartbeatIntervalMs?: number;
  /** No message at all this long after a ping means the socket is dead. @default 10000 */
  heartbeatTimeoutMs?: number;
  /** A socket still connecting after this long is given up and retried. @default 15000 */
  connectTimeoutMs?: number;
  /** `false` never reconnects. */
  reconnect?: Partial<ReconnectPolicy> | false;
  /** Close codes after which reconnecting is pointless. @default [1008, 4401, 4403, 4404] */
  fatalCloseCodes?: number[];
  onMessage?: (data: string) => void;
  onStateChange?: (state: ConnectionState) => void;
  onError?: (error: ConnectionError) => void;
}

const OPEN = 1;
const DEFAULT_FATAL = [1008, 4401, 4403, 4404];

/**
 * One workflow's socket, kept alive: heartbeat, reconnect with backoff and
 * jitter, waiting out offline periods, giving up on fatal close codes.
 * Framework-free; the React layer and the store sit on top.
 *
 * @example
 * const conn = new WorkflowConnection({ workflowId: '123', onMessage: (text) => handle(text) });
 * conn.connect();
 * // later
 * conn.close();
 */
export class WorkflowConnection {
  private options: WorkflowConnectionOptions;
  private socket: SocketLike | null = null;
  private current: ConnectionState = INITIAL_CONNECTION;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private deadline: ReturnType<typeof setTimeout> | undefined;
  private openedAt = 0;
  private waitingOnline = false;

  constructor(options: WorkflowConnectionOptions) {
    this.options = options;
  }

  /** The state now. */
  get state(): ConnectionState {
    return this.current;
  }

  /** The URL the next connect will use. */
  get url(): string {
    const o = this.options;
    return o.url ?? (o.baseUrl ?? 'ws://localhost:8000').replace(/\/$/, '') + workflowSocketPath(o.workflowId);
  }

  /** Changes options; URL changes apply at the next connect (call `reconnect()` to apply now). */
  setOptions(options: Partial<WorkflowConnectionOptions>): void {
    this.options = { ...this.options, ...options };
  }

  /** Opens the socket, unless one is open or opening. */
  connect(): void {
    if (this.socket) return;
    this.clearTimers();
    this.open(this.current.status === 'reconnecting' ? this.current.attempt : 0);
  }

  /** Drops the current socket (if any) and connects again at once, attempts reset. */
  reconnect(): void {
    this.teardown(1000, 'reconnect');
    this.open(0);
  }

  /** Closes for good: no reconnect until `connect()` is called again. */
  close(code = 1000, reason = 'client closed'): void {
    this.teardown(code, reason);
    this.set({ status: 'closed', closeCode: code, closeReason: reason, why: 'client', nextRetryAt: null });
  }

  /** Sends a text frame (objects are JSON-encoded). False when not open. */
  send(data: string | object): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return false;
    try {
      socket.send(typeof data === 'string' ? data : JSON.stringify(data));
      return true;
    } catch (e) {
      this.options.onError?.({ code: 'send_failed', message: String((e as Error)?.message ?? e) });
      return false;
    }
  }

  private set(patch: Partial<ConnectionState>) {
    this.current = { ...this.current, ...patch };
    this.options.onStateChange?.(this.current);
  }

  private later(fn: () => void, ms: number) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private clearTimers() {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    clearInterval(this.heartbeat);
    clearTimeout(this.deadline);
    this.heartbeat = this.deadline = undefined;
    this.stopWaitingOnline();
  }

  private open(attempt: number) {
    const Ctor = this.options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Ctor) {
      this.options.onError?.({ code: 'no_websocket', message: 'No WebSocket implementation: pass options.WebSocket' });
      this.set({ status: 'closed', why: 'error', closeReason: 'no WebSocket implementation', nextRetryAt: null });
      return;
    }
    this.set({ status: attempt ? 'reconnecting' : 'connecting', attempt, nextRetryAt: null });
    let socket: SocketLike;
    try {
      socket = new Ctor(this.url, this.options.protocols);
    } catch (e) {
      this.options.onError?.({ code: 'socket_error', message: String((e as Error)?.message ?? e) });
      this.scheduleReconnect('error', null, String((e as Error)?.message ?? e));
      return;
    }
    this.socket = socket;
    socket.binaryType = 'arraybuffer';
    this.later(() => this.socket === socket && socket.readyState !== OPEN && this.drop('error', 'connect timeout'), this.options.connectTimeoutMs ?? 15_000);
    socket.onopen = () => {
      this.openedAt = Date.now();
      this.set({ status: 'open', closeCode: null, closeReason: null, why: null, nextRetryAt: null });
      this.startHeartbeat();
    };
    socket.onmessage = (ev) => {
      clearTimeout(this.deadline);
      this.deadline = undefined;
      const data = typeof ev.data === 'string' ? ev.data : new TextDecoder().decode(ev.data as ArrayBuffer);
      this.options.onMessage?.(data);
    };
    socket.onerror = () => {
      this.options.onError?.({ code: 'socket_error', message: `WebSocket error on ${this.url}` });
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.clearTimers();
      const fatal = (this.options.fatalCloseCodes ?? DEFAULT_FATAL).includes(ev.code);
      if (fatal) {
        this.set({ status: 'closed', closeCode: ev.code, closeReason: ev.reason || null, why: 'fatal', nextRetryAt: null });
        return;
      }
      this.scheduleReconnect('server', ev.code, ev.reason || null);
    };
  }

  private startHeartbeat() {
    const interval = this.options.heartbeatIntervalMs ?? 30_000;
    if (!interval) return;
    this.heartbeat = setInterval(() => {
      if (!this.send('ping') || this.deadline) return;
      this.deadline = setTimeout(() => this.drop('heartbeat-timeout', 'no answer to ping'), this.options.heartbeatTimeoutMs ?? 10_000);
    }, interval);
  }

  /** A dead socket may never fire `close`, so it is detached and replaced without waiting. */
  private drop(why: CloseReason, reason: string) {
    this.teardown(4000, reason);
    this.scheduleReconnect(why, null, reason);
  }

  private teardown(code: number, reason: string) {
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onerror = socket.onclose = null;
    try {
      socket.close(code, reason);
    } catch {
      // Closing a socket that never opened can throw in some implementations; it is gone either way.
    }
  }

  private scheduleReconnect(why: CloseReason, code: number | null, reason: string | null) {
    const option = this.options.reconnect;
    if (option === false) {
      this.set({ status: 'closed', closeCode: code, closeReason: reason, why, nextRetryAt: null });
      return;
    }
    const policy = { ...DEFAULT_RECONNECT, ...option };
    const stable = this.openedAt && Date.now() - this.openedAt >= policy.stableAfterMs;
    this.openedAt = 0;
    const attempt = (stable ? 0 : this.current.attempt) + 1;
    if (attempt > policy.maxAttempts) {
      this.set({ status: 'closed', closeCode: code, closeReason: reason, why: 'max-attempts', nextRetryAt: null });
      return;
    }
    if (typeof navigator !== 'undefined' && navigator.onLine === false && typeof addEventListener === 'function') {
      this.set({ status: 'reconnecting', attempt, closeCode: code, closeReason: reason, why: 'offline', nextRetryAt: null });
      this.waitingOnline = true;
      addEventListener('online', this.onOnline);
      return;
    }
    const delay = backoffDelay(attempt, policy);
    this.set({ status: 'reconnecting', attempt, closeCode: code, closeReason: reason, why, nextRetryAt: Date.now() + delay });
    this.later(() => this.open(attempt), delay);
  }

  private onOnline = () => {
    this.stopWaitingOnline();
    if (!this.socket) this.open(this.current.attempt);
  };

  private stopWaitingOnline() {
    if (!this.waitingOnline) return;
    this.waitingOnline = false;
    removeEventListener('online', this.onOnline);
  }
}
