import { createPongMessage, type ServerMessage } from '../protocol';

/** `WebSocket.OPEN` / `CLOSED`; repeated here so this file has no runtime dependency on `ws`. */
const OPEN = 1;
const CLOSED = 3;

/**
 * The part of a `ws` WebSocket the manager uses. Any object with these
 * members works, which is how the tests fake a slow client.
 *
 * @example
 * wss.on('connection', (ws: WebSocket) => manager.connect(ws, '123'));
 */
export interface ManagedSocket {
  readonly readyState: number;
  /** Bytes queued but not yet written to the network. */
  readonly bufferedAmount: number;
  send(data: Buffer, options: { binary: boolean }, cb?: (err?: Error) => void): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  ping(): void;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
}

/**
 * Options of {@link ConnectionManager}.
 *
 * @example
 * new ConnectionManager({ maxBufferedBytes: 256 * 1024, pingIntervalMs: 10_000 });
 */
export interface ConnectionManagerOptions {
  /**
   * A client whose unsent backlog exceeds this is dropped as a slow consumer
   * instead of being queued to without bound. @default 1_048_576 (1 MiB)
   */
  maxBufferedBytes?: number | undefined;
  /** Close code for a dropped slow consumer (1013 "try again later"). @default 1013 */
  slowConsumerCloseCode?: number | undefined;
  /** A dropped slow consumer's close frame waits behind its backlog; after this it is terminated. @default 1000 */
  slowConsumerGraceMs?: number | undefined;
  /** Protocol-level ping interval; a client that missed the previous ping is terminated. 0 disables. @default 30000 */
  pingIntervalMs?: number | undefined;
}

/**
 * Counters, for monitoring.
 *
 * @example
 * manager.stats(); // { clients: 2, workflows: 1, sent: 140, droppedSlowConsumers: 0, terminatedUnresponsive: 0 }
 */
export interface ConnectionStats {
  clients: number;
  workflows: number;
  /** Frames handed to sockets. */
  sent: number;
  droppedSlowConsumers: number;
  /** Clients terminated for not answering a protocol ping. */
  terminatedUnresponsive: number;
}

/**
 * Per-client options of {@link ConnectionManager.connect}.
 *
 * @example
 * manager.connect(ws, 'wf', { metrics: true });
 */
export interface ConnectOptions {
  /** The client asked for `metrics` messages (`?metrics=1`). @default false */
  metrics?: boolean | undefined;
}

interface Client {
  workflowId: string;
  alive: boolean;
  metrics: boolean;
  /** Extra backlog allowed while a catch-up burst drains; 0 once it has. */
  credit: number;
  onMessage: (data: unknown, isBinary?: boolean) => void;
  onPong: () => void;
  onClose: () => void;
}

/** Kept attached even after disconnect: an 'error' with no listener would crash the process. */
const ignoreError = () => {};

function toText(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data.filter((d) => Buffer.isBuffer(d))).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return undefined;
}

/**
 * The seed's `ws_manager`: which sockets watch which workflow, and sending
 * to them. A broadcast is serialized once and the same buffer is written to
 * every subscriber as a text frame. A client that cannot keep up is closed
 * (1013, "slow consumer") rather than buffered for without limit, and
 * clients that stop answering protocol pings are terminated.
 *
 * It also answers the spec's heartbeat: a text frame `ping` gets exactly
 * `{"type":"pong","workflow_id":"<id>"}`. Other client text is ignored.
 *
 * @example
 * const manager = new ConnectionManager();
 * wss.on('connection', (ws) => manager.connect(ws, '123'));
 * manager.broadcastToWorkflow(createLogMessage({ workflowId: '123', executionId: 'e1', message: 'hi' }), '123');
 */
export class ConnectionManager {
  readonly #clients = new Map<ManagedSocket, Client>();
  readonly #byWorkflow = new Map<string, Set<ManagedSocket>>();
  readonly #errorGuarded = new WeakSet<ManagedSocket>();
  readonly #graceTimers = new Set<NodeJS.Timeout>();
  readonly #maxBuffered: number;
  readonly #slowCode: number;
  readonly #graceMs: number;
  readonly #pingMs: number;
  #pingTimer: NodeJS.Timeout | undefined;
  #stats = { sent: 0, droppedSlowConsumers: 0, terminatedUnresponsive: 0 };

  constructor(options: ConnectionManagerOptions = {}) {
    this.#maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
    this.#slowCode = options.slowConsumerCloseCode ?? 1013;
    this.#graceMs = options.slowConsumerGraceMs ?? 1000;
    this.#pingMs = options.pingIntervalMs ?? 30_000;
  }

  /**
   * Subscribes a socket to a workflow's messages. Connecting a socket again
   * moves it to the new workflow. The socket leaves on its own `close`.
   *
   * @example
   * manager.connect(ws, 'linear-pipeline');
   */
  connect(socket: ManagedSocket, workflowId: string, options: ConnectOptions = {}): void {
    if (this.#clients.has(socket)) this.disconnect(socket);
    const client: Client = {
      workflowId,
      alive: true,
      metrics: options.metrics ?? false,
      credit: 0,
      onMessage: (data, isBinary) => this.#onMessage(socket, client, data, isBinary),
      onPong: () => {
        client.alive = true;
      },
      onClose: () => this.disconnect(socket),
    };
    this.#clients.set(socket, client);
    let set = this.#byWorkflow.get(workflowId);
    if (!set) this.#byWorkflow.set(workflowId, (set = new Set()));
    set.add(socket);
    socket.on('message', client.onMessage);
    socket.on('pong', client.onPong);
    socket.on('close', client.onClose);
    if (!this.#errorGuarded.has(socket)) {
      this.#errorGuarded.add(socket);
      socket.on('error', ignoreError);
    }
    this.#startPinging();
  }

  /**
   * Unsubscribes a socket (it is not closed). Returns whether it was connected.
   *
   * @example
   * manager.disconnect(ws);
   */
  disconnect(socket: ManagedSocket): boolean {
    const client = this.#clients.get(socket);
    if (!client) return false;
    this.#clients.delete(socket);
    const set = this.#byWorkflow.get(client.workflowId);
    set?.delete(socket);
    if (set?.size === 0) this.#byWorkflow.delete(client.workflowId);
    socket.off('message', client.onMessage);
    socket.off('pong', client.onPong);
    socket.off('close', client.onClose);
    if (this.#clients.size === 0) this.#stopPinging();
    return true;
  }

  /**
   * Sends a message to every subscriber of one workflow. Returns how many it was sent to.
   *
   * @example
   * manager.broadcastToWorkflow(message, '123');
   */
  broadcastToWorkflow(message: ServerMessage, workflowId: string): number {
    const set = this.#byWorkflow.get(workflowId);
    if (!set || set.size === 0) return 0;
    return this.#deliverAll([...set], message);
  }

  /**
   * Sends an already serialized message (UTF-8 JSON) to every subscriber of
   * one workflow: how the engine sends, so the same bytes also go to the
   * replay buffer. Returns how many it was sent to.
   *
   * @example
   * manager.broadcastBuffer(Buffer.from(JSON.stringify(message)), '123');
   */
  broadcastBuffer(buf: Buffer, workflowId: string): number {
    const set = this.#byWorkflow.get(workflowId);
    if (!set || set.size === 0) return 0;
    let n = 0;
    for (const s of [...set]) if (this.#deliver(s, buf)) n++;
    return n;
  }

  /**
   * Sends a connecting client its catch-up (missed messages or a snapshot),
   * already serialized, in order. The burst is bounded by the replay buffer
   * and the snapshots of the workflow's live runs (at most
   * `maxLiveExecutionsPerWorkflow`, each bounded), so it is not held against
   * the slow-consumer limit: the client may have that much more backlog
   * until it has drained below the limit once.
   * Returns how many frames were sent.
   *
   * @example
   * manager.connect(ws, workflowId);
   * manager.sendCatchUp(ws, frames);
   */
  sendCatchUp(socket: ManagedSocket, frames: Buffer[]): number {
    let n = 0;
    for (const f of frames) if (this.#deliver(socket, f, false)) n++;
    const client = this.#clients.get(socket);
    if (client) client.credit += frames.reduce((bytes, f) => bytes + f.length, 0);
    return n;
  }

  /**
   * Sends a message to every client that opted in to metrics, of any workflow.
   *
   * @example
   * manager.broadcastToMetricsSubscribers(createMetricsMessage({ metrics }));
   */
  broadcastToMetricsSubscribers(message: ServerMessage): number {
    const sockets = [...this.#clients].filter(([, c]) => c.metrics).map(([s]) => s);
    return sockets.length === 0 ? 0 : this.#deliverAll(sockets, message);
  }

  /**
   * How many connected clients opted in to metrics.
   *
   * @example
   * if (manager.metricsClientCount() === 0) stopSampling();
   */
  metricsClientCount(): number {
    let n = 0;
    for (const c of this.#clients.values()) if (c.metrics) n++;
    return n;
  }

  /**
   * Sends a message to every connected client of every workflow.
   *
   * @example
   * manager.broadcastAll(createLogMessage({ workflowId: '*', executionId: '-', message: 'server restarting', level: 'warning' }));
   */
  broadcastAll(message: ServerMessage): number {
    return this.#deliverAll([...this.#clients.keys()], message);
  }

  /**
   * Sends a message to one socket (connected or not). Returns whether it was sent.
   *
   * @example
   * manager.sendPersonalMessage(createPongMessage('123'), ws);
   */
  sendPersonalMessage(message: ServerMessage, socket: ManagedSocket): boolean {
    return this.#deliver(socket, Buffer.from(JSON.stringify(message)));
  }

  /**
   * Connected clients, of one workflow or in total.
   *
   * @example
   * manager.clientCount('123'); // 2
   */
  clientCount(workflowId?: string): number {
    return workflowId === undefined ? this.#clients.size : (this.#byWorkflow.get(workflowId)?.size ?? 0);
  }

  /**
   * The connected sockets, of one workflow or all: e.g. to pick one for
   * {@link ConnectionManager.sendPersonalMessage}.
   *
   * @example
   * for (const ws of manager.sockets('123')) manager.sendPersonalMessage(message, ws);
   */
  sockets(workflowId?: string): ManagedSocket[] {
    return workflowId === undefined ? [...this.#clients.keys()] : [...(this.#byWorkflow.get(workflowId) ?? [])];
  }

  /**
   * Counters since the manager was created.
   *
   * @example
   * if (manager.stats().droppedSlowConsumers > 0) alert();
   */
  stats(): ConnectionStats {
    return { clients: this.#clients.size, workflows: this.#byWorkflow.size, ...this.#stats };
  }

  /**
   * Stops the ping timer and closes every client (1001, going away); clients
   * that have not closed within `graceMs` are terminated.
   *
   * @example
   * await manager.close();
   * @default graceMs 1000
   */
  async close(graceMs = 1000): Promise<void> {
    this.#stopPinging();
    for (const t of this.#graceTimers) clearTimeout(t);
    this.#graceTimers.clear();
    const sockets = [...this.#clients.keys()];
    for (const s of sockets) this.disconnect(s);
    await Promise.all(
      sockets.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.readyState === CLOSED) return resolve();
            const done = () => {
              clearTimeout(timer);
              resolve();
            };
            const timer = setTimeout(() => {
              s.off('close', done);
              try {
                s.terminate();
              } catch {
                // Already gone: nothing left to free.
              }
              resolve();
            }, graceMs);
            s.on('close', done);
            try {
              s.close(1001, 'server shutting down');
            } catch {
              done();
            }
          }),
      ),
    );
  }

  #deliverAll(sockets: ManagedSocket[], message: ServerMessage): number {
    // One serialization and one buffer for all recipients: the cost of a
    // broadcast should not grow with its JSON size times the audience.
    const buf = Buffer.from(JSON.stringify(message));
    let n = 0;
    for (const s of sockets) if (this.#deliver(s, buf)) n++;
    return n;
  }

  #deliver(socket: ManagedSocket, buf: Buffer, checkBacklog = true): boolean {
    if (socket.readyState !== OPEN) return false;
    // Checked before sending, so a client's backlog is bounded by the limit
    // (plus its catch-up burst while that drains) plus one message.
    let limit = this.#maxBuffered;
    const client = this.#clients.get(socket);
    if (client && client.credit > 0) {
      if (socket.bufferedAmount <= this.#maxBuffered) client.credit = 0;
      else limit += client.credit;
    }
    if (checkBacklog && socket.bufferedAmount > limit) {
      this.#dropSlowConsumer(socket);
      return false;
    }
    try {
      socket.send(buf, { binary: false }, ignoreError);
    } catch {
      // A socket that throws on send is broken; its close event may never come.
      this.disconnect(socket);
      return false;
    }
    this.#stats.sent++;
    return true;
  }

  #dropSlowConsumer(socket: ManagedSocket): void {
    this.disconnect(socket);
    this.#stats.droppedSlowConsumers++;
    try {
      socket.close(this.#slowCode, 'slow consumer');
    } catch {
      // Fall through to terminate.
    }
    if (socket.readyState === CLOSED) return;
    const timer = setTimeout(() => {
      this.#graceTimers.delete(timer);
      if (socket.readyState !== CLOSED) socket.terminate();
    }, this.#graceMs);
    timer.unref();
    this.#graceTimers.add(timer);
  }

  #onMessage(socket: ManagedSocket, client: Client, data: unknown, isBinary?: boolean): void {
    try {
      client.alive = true;
      if (isBinary) return;
      const text = toText(data);
      if (text !== undefined && text.length <= 16 && text.trim() === 'ping') {
        this.sendPersonalMessage(createPongMessage(client.workflowId), socket);
      }
    } catch {
      // Nothing a client sends may take the server down.
    }
  }

  #startPinging(): void {
    if (this.#pingTimer || this.#pingMs <= 0) return;
    this.#pingTimer = setInterval(() => this.#pingAll(), this.#pingMs);
    // Pinging alone should not keep a process alive.
    this.#pingTimer.unref();
  }

  #stopPinging(): void {
    if (this.#pingTimer) clearInterval(this.#pingTimer);
    this.#pingTimer = undefined;
  }

  #pingAll(): void {
    for (const [socket, client] of [...this.#clients]) {
      if (!client.alive) {
        this.disconnect(socket);
        this.#stats.terminatedUnresponsive++;
        try {
          socket.terminate();
        } catch {
          // Already torn down; it is forgotten either way.
        }
        continue;
      }
      client.alive = false;
      try {
        socket.ping();
      } catch {
        // A failing ping means a dead socket; the next round terminates it.
      }
    }
  }
}
