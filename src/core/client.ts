import { parseServerMessage, type ProtocolError, type ServerMessage } from '../protocol';
import { createWorkflowConnection, type WorkflowConnection, type ConnectionError, type WorkflowConnectionOptions } from './connection';
import { errorText, type OptionalFields } from './internal';
import { INITIAL_CONNECTION, type ConnectionState } from './state';
import { createWorkflowStore, type WorkflowStore, type WorkflowStoreOptions } from './store';

/**
 * Anything the client could not accept: a bad message or a socket problem; or what the React layer
 * reports through it: a failed REST call (`http_error`), a canvas whose layout code did not load (`layout_error`).
 */
export type WorkflowClientError =
  ProtocolError | ConnectionError | { code: 'http_error' | 'reducer_error' | 'callback_error' | 'layout_error'; message: string };

/** Options of {@link createWorkflowClient}: the connection's and the store's. */
export interface WorkflowClientOptions
  extends Omit<WorkflowConnectionOptions, 'onMessage' | 'onError' | 'onStateChange'>, Omit<WorkflowStoreOptions, 'workflowId'> {
  /** Every valid message, before it is applied. */
  onMessage?: ((message: ServerMessage) => void) | undefined;
  /** Malformed messages and socket errors. Nothing is thrown. */
  onError?: ((error: WorkflowClientError) => void) | undefined;
  onStateChange?: ((state: ConnectionState) => void) | undefined;
  /**
   * On reconnect, tell the server the execution and last `seq` we have, so it
   * replays exactly what we missed (or sends a snapshot).
   * @default true
   */
  resume?: boolean | undefined;
  /** Ask the server for periodic `metrics` messages. @default false */
  metrics?: boolean | undefined;
}

/** The callbacks of {@link WorkflowClientOptions}, which more listeners can add with `listen()`. */
export type WorkflowClientCallbacks = Pick<WorkflowClientOptions, 'onMessage' | 'onError' | 'onStateChange'>;

/** A store fed by a live connection: what the React layer and canvas use. */
export interface WorkflowClient {
  readonly workflowId: string;
  readonly store: WorkflowStore;
  readonly connection: WorkflowConnection;
  /** Keeps the socket open while anything is mounted; returns the release. */
  mount(): () => void;
  /** Adds callbacks next to the client's own (a hook sharing a provider's client); returns their removal. */
  listen(callbacks: WorkflowClientCallbacks): () => void;
  /** Reports a problem through the store's `problems` and `onError`, as the client does for its own. */
  report(error: WorkflowClientError): void;
  /** The token the socket uses (the `token` option, asked now), so REST calls can send the same one. */
  token(): string | null | undefined | Promise<string | null | undefined>;
  /** Replaces callbacks, connection options (URL changes reconnect) and the store's bounds. The workflow id stays: one client per workflow. */
  setOptions(options: OptionalFields<Omit<WorkflowClientOptions, 'workflowId'>>): void;
  send(data: string | object): boolean;
  reconnect(): void;
  close(): void;
  /** Closes and releases everything: socket, timers, pending batches. */
  destroy(): void;
}

/**
 * Creates a client for one workflow: parses each frame, reports bad ones,
 * batches good ones into the store, mirrors the connection state.
 * Reference-counted through `mount()`: the socket opens with the first user and
 * closes a microtask after the last one leaves, so React StrictMode's
 * mount–unmount–mount keeps a single socket.
 *
 * @example
 * const client = createWorkflowClient({ workflowId: '123', baseUrl: 'ws://localhost:8000' });
 * const release = client.mount();
 * client.store.subscribe((s) => console.log(s.progress));
 */
export function createWorkflowClient(options: WorkflowClientOptions): WorkflowClient {
  let opts = options;
  const listeners = new Set<WorkflowClientCallbacks>();
  const emit = <K extends keyof WorkflowClientCallbacks>(name: K, value: Parameters<NonNullable<WorkflowClientCallbacks[K]>>[0]) => {
    for (const l of [opts, ...listeners]) {
      try {
        (l[name] as ((v: typeof value) => void) | undefined)?.(value);
      } catch (e) {
        // An app's callback that throws must not cost a message, stop a reconnect, or silence the other listeners.
        const problem = { code: 'callback_error' as const, message: `${name} threw: ${errorText(e)}` };
        store.report(problem);
        if (name !== 'onError') emit('onError', problem);
      }
    }
  };
  // The store records its own problems; the app hears of them through the client's onError.
  const store = createWorkflowStore({ ...options, onError: (e) => emit('onError', e) });
  const onError = (error: WorkflowClientError) => {
    store.report({ code: error.code, message: error.message });
    emit('onError', error);
  };
  // The app's own query parameters; one that throws is reported, not thrown into a render or a reconnect.
  const userQuery = (o: WorkflowClientOptions) => {
    try {
      return o.query?.();
    } catch (e) {
      onError({ code: 'callback_error', message: `query threw: ${errorText(e)}` });
    }
  };
  const connectionOptions = (o: WorkflowClientOptions): WorkflowConnectionOptions => ({
    ...o,
    query() {
      // What is queued is received: the position must include it, or the server replays it to us again.
      store.flush();
      const s = store.getState();
      const position = o.resume !== false && s.executionId !== null;
      return {
        ...userQuery(o),
        execution_id: position ? s.executionId : null,
        last_seq: position ? s.lastSeq : null,
        metrics: o.metrics ? 1 : null,
      };
    },
    onMessage(text) {
      const result = parseServerMessage(text);
      if (!result.ok) return onError(result.error);
      // Samples still on their way after the app turned metrics off.
      if (result.message.type === 'metrics' && !opts.metrics) return;
      emit('onMessage', result.message);
      store.enqueue(result.message);
    },
    onError,
    onStateChange(state) {
      store.setConnection(state);
      emit('onStateChange', state);
    },
  });
  const connection = createWorkflowConnection(connectionOptions(options));
  let users = 0;
  // An address changed while nothing used the client: the socket may linger until the release's
  // microtask, so the next mount must replace it rather than keep it.
  let moved = false;

  return {
    workflowId: options.workflowId,
    store,
    connection,
    mount() {
      users++;
      if (users === 1) {
        if (moved) connection.reconnect();
        else connection.connect();
        moved = false;
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        users--;
        queueMicrotask(() => {
          if (users > 0) return;
          if (connection.state.status !== 'closed') connection.close();
          // Nothing uses the client now: like before its first mount, there is nothing to reconnect.
          store.setConnection(INITIAL_CONNECTION);
          store.destroy();
        });
      };
    },
    setOptions(next) {
      // The address, not the URL: the query is read when connecting (and would settle the batch, on every render).
      const before = connection.address;
      const hadMetrics = !!opts.metrics;
      // The store holds this workflow's state, so the id is not an option to change (plain JS callers too).
      opts = { ...opts, ...next, workflowId: options.workflowId };
      store.configure(opts);
      connection.setOptions(connectionOptions(opts));
      const metricsChanged = hadMetrics !== !!opts.metrics;
      if (metricsChanged && !opts.metrics) {
        store.flush();
        store.setState({ metrics: [] });
      }
      // A new address is worth a try even after a fatal close, but not after the app closed the socket itself.
      const closedByApp = connection.state.status === 'closed' && connection.state.why === 'client';
      // Metrics are asked for when connecting: turning them on or off takes a new socket (resuming where it was).
      if (connection.address === before && !metricsChanged) return;
      if (users === 0) moved = true;
      else if (!closedByApp) connection.reconnect();
    },
    listen(callbacks) {
      listeners.add(callbacks);
      return () => listeners.delete(callbacks);
    },
    // The connection's methods are closures, safe to hand out unbound.
    report: onError,
    token: () => (typeof opts.token === 'function' ? opts.token() : opts.token),
    send: connection.send,
    // Only while something uses the client: a stale callback after unmount must not reopen it.
    reconnect: () => users > 0 && connection.reconnect(),
    close: () => connection.close(),
    destroy() {
      users = -Infinity; // a destroyed client never connects again
      connection.close();
      store.destroy();
    },
  };
}
