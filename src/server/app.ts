import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { checkCount } from './check-count';
import { AccessControl } from './access';
import { createApiRoutes } from './api-routes';
import { selectProtocol, type FlowpulseAuth } from './auth';
import { deflateOptions, type CompressionOptions } from './compression';
import { ConnectionManager, type ConnectionManagerOptions } from './connection-manager';
import { checkEngineCounts, WorkflowEngine, type ExecutionHandle } from './engine';
import { ExecutionRegistry, type ExecutionRegistryOptions } from './execution-registry';
import { DEFAULT_MAX_BODY_VALUES, HttpError, sendJson } from './http-json';
import { jsonMemoryCost } from './json-safe';
import { admitExecution, liveLimits } from './live-limits';
import { LiveMemory } from './live-memory';
import { MetricsPublisher } from './metrics-publisher';
import { createBuiltinNodeTypes, type NodeTypeRegistry } from './node-types';
import { ReplayStore, type ReplayStoreOptions } from './replay-store';
import { matchRoute, pathSegments } from './router';
import { handleSocketUpgrade, socketWorkflowId } from './socket-endpoint';
import { serveStatic } from './static-files';
import { TicketStore, type TicketStoreOptions } from './tickets';
import { serveWithoutUpgrade, wantsWebSocket } from './upgrade-fallback';
import type { WorkflowDefinition } from './workflow';
import { DEFAULT_MAX_WORKFLOW_BYTES, WorkflowStore } from './workflow-store';

/**
 * Options of {@link createFlowpulseServer}.
 *
 * @example
 * createFlowpulseServer({ port: 0, workflowsDir: './workflows', staticDir: './demo/dist' });
 */
export interface FlowpulseServerOptions {
  /** 0 picks a free port. @default 8000 */
  port?: number | undefined;
  /** @default '127.0.0.1' */
  host?: string | undefined;
  /** A folder of workflow JSON files, loaded by `listen()`. */
  workflowsDir?: string | undefined;
  /** Definitions registered at creation (validated; throws `WorkflowValidationError`). */
  workflows?: WorkflowDefinition[] | undefined;
  /** Served at `/` when given (index.html for directories); always public. `listen()` rejects when it is no directory. */
  staticDir?: string | undefined;
  /** Node types for every execution. @default createBuiltinNodeTypes() */
  nodeTypes?: NodeTypeRegistry | undefined;
  /** Nodes running at once within one execution. @default 4 */
  maxConcurrency?: number | undefined;
  /**
   * Log lines a run's record keeps, for snapshots and late joiners (older ones
   * are counted in `dropped_logs`; every line is streamed). @default 500
   */
  maxLogsPerExecution?: number | undefined;
  /** Longer log lines and error texts are clipped, with a note of how much. @default 16384 */
  maxLogChars?: number | undefined;
  /**
   * Executions live (running or paused) at once, over all workflows; one
   * more `POST /execute` gets 429 with `Retry-After: 5`. Each live run holds
   * memory until it ends. `Infinity` disables the cap. @default 100
   */
  maxLiveExecutions?: number | undefined;
  /** Like `maxLiveExecutions`, per workflow. @default 20 */
  maxLiveExecutionsPerWorkflow?: number | undefined;
  /**
   * Memory all live (running or paused) executions may hold together, by the
   * estimate finished records are charged with (JSON length plus 64 bytes
   * per object or array, 8 per other value): a run's `initial_inputs` when
   * it starts, then each node result as it completes and each log line the
   * record keeps. A `POST /execute` whose inputs do not fit gets 503 with
   * `Retry-After: 5` and `{ error, limit, needed, scope: 'server' }`; a
   * result that does not fit fails its node (and so its run) with a reason,
   * and the record does not keep it; a log line that does not fit drops the
   * run's oldest kept lines (counted in `dropped_logs`), never failing
   * anything. Memory comes back when a run ends. An integer ≥ 1 or `Infinity`.
   * @default 536_870_912 (512 MiB)
   * @example
   * createFlowpulseServer({ maxLiveBytes: 2 * 1024 * 1024 * 1024 }); // a host with room for larger runs
   */
  maxLiveBytes?: number | undefined;
  /**
   * Like `maxLiveBytes`, for one execution, so one run cannot take the room
   * of all others: inputs over it get 413 (`scope: 'execution'`), a result
   * that takes a run past it fails its node, a log line drops the run's
   * oldest kept lines. At most `maxLiveBytes`
   * (creation throws a RangeError otherwise).
   * @default an eighth of `maxLiveBytes` (64 MiB)
   * @example
   * createFlowpulseServer({ maxLiveBytes: 1024 * 1024 * 1024, maxLiveBytesPerExecution: 256 * 1024 * 1024 });
   */
  maxLiveBytesPerExecution?: number | undefined;
  /** Cap on stored definitions (files plus `PUT`). @default 1000 */
  maxWorkflows?: number | undefined;
  /**
   * Budget of all stored definitions together, as their JSON length plus 64
   * bytes per object or array and 8 per other value; a `PUT` past it gets 409.
   * An integer ≥ 1 or `Infinity`.
   * @default 67_108_864 (64 MiB)
   * @example
   * createFlowpulseServer({ maxWorkflowBytes: 256 * 1024 * 1024 });
   */
  maxWorkflowBytes?: number | undefined;
  /**
   * Largest accepted HTTP body; an integer ≥ 1 or `Infinity`, at most
   * `maxBodyBytesInFlight` (creation throws a RangeError otherwise).
   * @default 1_048_576
   * @example
   * createFlowpulseServer({ maxBodyBytes: 4 * 1024 * 1024 });
   */
  maxBodyBytes?: number | undefined;
  /**
   * Most JSON values (objects, arrays, their members, scalars) an HTTP body
   * may hold; more gets 413. Parsed JSON costs far more memory than its
   * text when it is mostly small objects, so bytes alone do not bound it.
   * An integer ≥ 1 or `Infinity`.
   * @default 100_000
   * @example
   * createFlowpulseServer({ maxBodyBytes: 4 * 1024 * 1024, maxBodyValues: 400_000 });
   */
  maxBodyValues?: number | undefined;
  /**
   * Request bodies being read at once may hold this many bytes in all; a
   * request that would go past it gets 503 with `Retry-After: 1`, so many slow
   * uploads cannot fill memory while `requestTimeoutMs` runs. `Infinity` disables it.
   * At least `maxBodyBytes` (creation throws a RangeError otherwise): a body
   * that fits `maxBodyBytes` but not this would be told to retry forever.
   * @default 67_108_864 (64 MiB: 64 bodies of the default `maxBodyBytes`)
   * @example
   * createFlowpulseServer({ maxBodyBytesInFlight: 16 * 1024 * 1024 });
   */
  maxBodyBytesInFlight?: number | undefined;
  /**
   * A request must arrive in full (headers and body) within this time, else
   * it gets 408 and its connection is closed: a client that stalls mid-body
   * would otherwise hold its buffered body for Node's default of 5 minutes.
   * Headers must arrive within the same time, at most 60 s. Checked every
   * second, so it fires up to a second late. It cannot be turned off: a
   * finite number > 0 (a fraction is rounded up to whole milliseconds).
   * @default 30_000
   * @example
   * createFlowpulseServer({ requestTimeoutMs: 120_000 }); // slow clients upload large definitions
   */
  requestTimeoutMs?: number | undefined;
  /** Largest accepted WebSocket frame from a client; clients only send `ping`. @default 65_536 */
  maxPayloadBytes?: number | undefined;
  /**
   * Node results whose JSON is larger are not streamed but served at their
   * `result_ref` path (gzip when accepted). @default 65_536
   */
  maxInlineResultBytes?: number | undefined;
  /** Backpressure and heartbeat settings of the connection manager. */
  connections?: ConnectionManagerOptions | undefined;
  /** Retention of execution records (and so of snapshots and large results). */
  executions?: ExecutionRegistryOptions | undefined;
  /** Bounds and lifetime of the per-execution replay buffers for reconnecting clients. */
  replay?: ReplayStoreOptions | undefined;
  /**
   * Authentication and permissions. Without it the server is open (as the
   * seed). With it, sockets need a token (`flowpulse.bearer.<token>`
   * subprotocol or `Authorization: Bearer`) or a ticket, and the REST API
   * (but `/api/health`) needs `Authorization: Bearer`. See `tokenAuth`.
   */
  auth?: FlowpulseAuth<any> | undefined;
  /**
   * Origins (`https://app.example.com`) whose pages may use the API and
   * sockets; a request with another `Origin` gets 403. Requests without
   * `Origin` (non-browser clients) are not affected. Without a list, pages
   * of the server's own origin, of this machine and of its private network may: a site a developer
   * visits must not start runs on the server on their localhost. A list
   * replaces that default (list the server's own origin too if it serves the app).
   * @default the server's own origin; localhost, *.localhost, 127.0.0.0/8, [::1] and private IPv4 addresses, any port
   */
  allowedOrigins?: string[] | undefined;
  /**
   * Lifetime, caps and clock of `POST /api/ws-ticket` tickets.
   * @default { ttlMs: 30_000, maxTickets: 10_000, maxTicketsPerPrincipal: 100 }
   * @example
   * createFlowpulseServer({ auth, tickets: { ttlMs: 10_000, principalKey: (user: User) => user.id } });
   */
  tickets?: TicketStoreOptions | undefined;
  /** permessage-deflate on the sockets; `false` turns it off. See {@link CompressionOptions}. @default on, bounded */
  compression?: CompressionOptions | false | undefined;
  /** Interval of `metrics` messages to opted-in clients while a run is live; 0 disables. @default 1000 */
  metricsIntervalMs?: number | undefined;
  /** Told about unexpected errors (those answered with 500); the library itself never logs. */
  onError?: ((error: unknown, req?: IncomingMessage) => void) | undefined;
}

// Checked at creation: a bad limit otherwise shows only as odd answers to every request (NaN
// turned a check off, 0 answered 503 to every body).
function checkBodyLimits(options: FlowpulseServerOptions): { maxBodyBytes: number; maxBodyValues: number; maxBodyBytesInFlight: number } {
  const limits = {
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    maxBodyValues: options.maxBodyValues ?? DEFAULT_MAX_BODY_VALUES,
    maxBodyBytesInFlight: options.maxBodyBytesInFlight ?? 64 * 1024 * 1024,
    maxWorkflowBytes: options.maxWorkflowBytes ?? DEFAULT_MAX_WORKFLOW_BYTES,
  };
  for (const [name, value] of Object.entries(limits)) checkCount(name, value, 1, { infinite: true });
  if (limits.maxBodyBytesInFlight < limits.maxBodyBytes) {
    throw new RangeError(
      `maxBodyBytesInFlight (${limits.maxBodyBytesInFlight}) must be at least maxBodyBytes (${limits.maxBodyBytes}), or Infinity: ` +
        'a body that fits maxBodyBytes but not maxBodyBytesInFlight would get 503 on every attempt',
    );
  }
  return limits;
}

/**
 * A running (or ready) flowpulse server.
 *
 * @example
 * const server = createFlowpulseServer({ port: 0 });
 * const { url } = await server.listen();
 * await server.close();
 */
export interface FlowpulseServer {
  /**
   * Checks `staticDir`, loads `workflowsDir`, then listens. Resolves with the bound port and base URL.
   * Rejects once `close()` was called (during start-up too): a closed server stays closed.
   */
  listen(): Promise<{ port: number; url: string }>;
  /**
   * Cancels running executions, closes sockets (those still waiting on `authenticate`
   * too) and the HTTP server, clears every timer. Waits for a `listen()` under way.
   */
  close(): Promise<void>;
  manager: ConnectionManager;
  registry: ExecutionRegistry;
  workflows: WorkflowStore;
  nodeTypes: NodeTypeRegistry;
  /** Replay buffers of recent executions. */
  replay: ReplayStore;
  /** The metrics timer (`running` tells whether it ticks). */
  metrics: MetricsPublisher;
  /** Live (running or paused) executions by id. */
  live: ReadonlyMap<string, ExecutionHandle>;
  /** The memory live executions hold (`used`) against `maxLiveBytes` (`max`) and `maxLiveBytesPerExecution`. */
  liveMemory: LiveMemory;
  httpServer: Server;
}

const CORS_HEADERS = {
  'Access-Control-Allow-Methods': 'GET, POST, PUT, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization',
  'Access-Control-Max-Age': '600',
  // A page on another origin may read when to retry a 429 or 503 (it is not a CORS-safelisted header).
  'Access-Control-Expose-Headers': 'Retry-After',
};

/**
 * The reference server: the spec's WebSocket endpoint
 * `/api/ws/workflow/{workflow_id}` plus a small JSON API (see
 * `createApiRoutes`), on plain `node:http` and `ws`.
 *
 * On connect a client gets a catch-up first: the messages it missed when it
 * sends its position (`?execution_id=…&last_seq=…`), else a `snapshot` of
 * the current run (`execution_id: null` when there is none). Runs can be
 * paused, resumed and cancelled over REST; results over
 * `maxInlineResultBytes` are fetched over HTTP; sockets use permessage-deflate;
 * clients with `?metrics=1` get `metrics` while a run is live.
 *
 * Errors are JSON `{ "error": reason }` with 400 / 401 / 403 / 404 / 405 /
 * 409 / 413 / 422 / 426 (a plain GET on the socket path) / 429 (too many live
 * executions) / 503 (shutting down, or live executions hold `maxLiveBytes`),
 * and 500 for anything unexpected; no request can take the server down.
 *
 * @example
 * const server = createFlowpulseServer({ port: 8000, workflowsDir: 'workflows', auth: tokenAuth('s3cret') });
 * const { url } = await server.listen();
 * // wscat -c ws://127.0.0.1:8000/api/ws/workflow/linear-pipeline -s flowpulse -s flowpulse.bearer.s3cret
 * // curl -X POST $url/api/workflows/linear-pipeline/execute -H 'Authorization: Bearer s3cret' -d '{"initial_inputs": {}}'
 * @default port 8000, host '127.0.0.1'
 */
export function createFlowpulseServer(options: FlowpulseServerOptions = {}): FlowpulseServer {
  const port = options.port ?? 8000;
  const host = options.host ?? '127.0.0.1';
  // Checked now: a bad value found at the first execute would be a 500 on every run.
  checkEngineCounts(options);
  const limits = liveLimits(options);
  const liveMemory = new LiveMemory(options);
  const bodyLimits = checkBodyLimits(options);
  const nodeTypes = options.nodeTypes ?? createBuiltinNodeTypes();
  const manager = new ConnectionManager(options.connections);
  const registry = new ExecutionRegistry(options.executions);
  const replay = new ReplayStore(options.replay);
  const workflows = new WorkflowStore(nodeTypes, options.maxWorkflows, options.maxWorkflowBytes);
  for (const def of options.workflows ?? []) workflows.put(def);
  const tickets = new TicketStore(options.tickets);
  const access = new AccessControl({ auth: options.auth, allowedOrigins: options.allowedOrigins, tickets });
  const live = new Map<string, ExecutionHandle>();
  const metrics = new MetricsPublisher({
    manager,
    activeExecutions: () => live.size,
    ...(options.metricsIntervalMs === undefined ? {} : { intervalMs: options.metricsIntervalMs }),
  });
  let closing = false;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayloadBytes ?? 64 * 1024,
    perMessageDeflate: deflateOptions(options.compression),
    // Never echo the token subprotocol: handshake headers end up in logs.
    handleProtocols: (offered) => selectProtocol(offered),
  });
  wss.on('error', () => {
    // Handshake errors are answered by ws itself; nothing to add.
  });

  function startExecution(workflowId: string, def: WorkflowDefinition, inputs: Record<string, unknown>): ExecutionHandle {
    if (closing) throw new HttpError(503, 'server is shutting down');
    // Checked here, in the step that adds to `live`, so concurrent requests cannot overshoot.
    admitExecution(live, workflowId, limits);
    // Inputs came from a JSON body: measured once, here; results and kept log lines are measured as they come.
    const memory = liveMemory.limited ? liveMemory.admit(jsonMemoryCost(JSON.stringify(inputs))) : undefined;
    // One engine per execution: it is cheap, and nothing outlives the run but its record.
    const engine = new WorkflowEngine({
      workflowId,
      manager,
      registry,
      nodeTypes,
      replay,
      maxConcurrency: options.maxConcurrency,
      maxInlineResultBytes: options.maxInlineResultBytes,
      maxLogsPerExecution: options.maxLogsPerExecution,
      maxLogChars: options.maxLogChars,
      ...(memory ? { chargeResult: (bytes: number) => memory.charge(bytes), logMemory: memory } : {}),
    });
    let handle: ExecutionHandle;
    try {
      handle = engine.execute(def, inputs);
    } catch (e) {
      memory?.release(); // not started (a definition that no longer validates)
      throw e;
    }
    live.set(handle.executionId, handle);
    metrics.update();
    void handle.done.then(() => {
      live.delete(handle.executionId);
      memory?.release();
      metrics.update();
    });
    return handle;
  }

  const routes = createApiRoutes({
    access,
    manager,
    registry,
    replay,
    workflows,
    nodeTypes,
    live,
    liveMemory,
    maxBodyBytes: bodyLimits.maxBodyBytes,
    maxBodyValues: bodyLimits.maxBodyValues,
    bodyBudget: { max: bodyLimits.maxBodyBytesInFlight, used: 0 },
    startExecution,
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const segments = pathSegments(req.url);
    const method = req.method ?? 'GET';
    if (segments[0] === 'api') {
      for (const [k, v] of Object.entries({ ...CORS_HEADERS, ...access.corsHeaders(req) })) res.setHeader(k, v);
      const refusal = access.hostRefusal(req);
      if (refusal) throw new HttpError(403, refusal);
      if (!access.originAllowed(req)) throw new HttpError(403, `origin ${req.headers.origin} is not allowed`);
      if (method === 'OPTIONS') {
        res.writeHead(204).end();
        return;
      }
      const found = matchRoute(routes, method, segments);
      if (!found) throw new HttpError(404, `no such endpoint: ${method} ${req.url?.split('?')[0]}`);
      await found.handler({ req, res, params: found.params });
      return;
    }
    if (options.staticDir) {
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `method ${method} not allowed`, {}, { Allow: 'GET, HEAD' });
      if (await serveStatic(req, res, options.staticDir, segments)) return;
    }
    throw new HttpError(404, `not found: ${req.url?.split('?')[0]}`);
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof HttpError) {
        sendJson(res, e.status, { error: e.message, ...e.details }, e.headers);
        return;
      }
      options.onError?.(e, req);
      sendJson(res, 500, { error: 'internal server error' });
    });
  };
  const requestTimeoutOption = options.requestTimeoutMs ?? 30_000;
  if (!(Number.isFinite(requestTimeoutOption) && requestTimeoutOption > 0)) {
    throw new RangeError(`requestTimeoutMs must be a finite number > 0, got ${requestTimeoutOption}`);
  }
  // Node refuses a fraction with its own ERR_OUT_OF_RANGE; rounding up never shortens the allowance.
  const requestTimeout = Math.ceil(requestTimeoutOption);
  const httpServer = createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(requestTimeout, 60_000),
      // Node checks the timeouts on this interval (30 s by default), which would double a short timeout.
      connectionsCheckingInterval: Math.min(requestTimeout, 1000),
    },
    onRequest,
  );
  httpServer.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // Malformed HTTP: answer if the socket can still take it, never throw. Node's own codes for
    // oversized headers and slow requests; the body is JSON like every other refusal.
    const [status, reason] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? ['431 Request Header Fields Too Large', 'request headers too large']
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? ['408 Request Timeout', `request not received in full within ${requestTimeout} ms`]
          : ['400 Bad Request', `malformed HTTP request${err.code ? ` (${err.code})` : ''}`];
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({ error: reason });
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Cache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  const socketContext = { wss, manager, registry, replay, access, metrics, isClosing: () => closing, onError: options.onError };
  // Upgraded sockets leave Node's connection list, so `closeAllConnections()` would miss one
  // still waiting on `authenticate`; they are kept here until they close.
  const upgrading = new Set<Duplex>();
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // An app may attach its own WebSocket endpoints to this server: their paths are theirs to answer.
    // Other upgrades (an h2c offer) to any path are still ours, served as plain HTTP.
    if (httpServer.listenerCount('upgrade') > 1 && wantsWebSocket(req) && socketWorkflowId(req.url) === undefined) return;
    upgrading.add(socket);
    socket.once('close', () => upgrading.delete(socket));
    if (wantsWebSocket(req)) handleSocketUpgrade(socketContext, req, socket, head);
    else serveWithoutUpgrade(req, socket, onRequest);
  });
  let starting: Promise<unknown> = Promise.resolve();
  const closedError = () => new Error('this server was closed; create a new one to listen again');

  return {
    manager,
    registry,
    workflows,
    nodeTypes,
    replay,
    metrics,
    live,
    liveMemory,
    httpServer,
    async listen() {
      if (closing) throw closedError();
      const start = (async () => {
        // Refused now, as a missing workflowsDir is: otherwise the server would run and 404 every page.
        if (options.staticDir && !(await stat(options.staticDir).catch(() => undefined))?.isDirectory()) {
          throw new Error(`staticDir ${options.staticDir} is not a directory`);
        }
        if (options.workflowsDir) await workflows.loadDirectory(options.workflowsDir);
        if (closing) throw closedError();
        await new Promise<void>((resolve, reject) => {
          const onError = (e: Error) => reject(e);
          httpServer.once('error', onError);
          httpServer.listen(port, host, () => {
            httpServer.off('error', onError);
            resolve();
          });
        });
      })();
      starting = start.catch(() => {});
      await start;
      if (closing) throw closedError(); // closed while binding: it is no longer listening
      const address = httpServer.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      return { port: bound, url: `http://${shownHost}:${bound}` };
    },
    async close() {
      closing = true;
      await starting;
      const handles = [...live.values()];
      for (const h of handles) h.cancel('server shutting down');
      await Promise.all(handles.map((h) => h.done));
      metrics.close();
      tickets.close();
      await manager.close(500);
      for (const ws of wss.clients) ws.terminate();
      for (const socket of upgrading) socket.destroy();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        if (!httpServer.listening) return resolve();
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
      replay.close();
    },
  };
}
